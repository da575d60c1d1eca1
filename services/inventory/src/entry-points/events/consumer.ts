import { idempotent, type CloudEvent, type EventBus, type Logger, type Subscription } from '@cartwheel/kit';
import type { Knex } from 'knex';
import type { InventoryTx } from '../../domain/ports.js';
import type { InventoryStore } from '../../data-access/inventory.store.js';

export interface ConsumerDeps {
  bus: EventBus;
  db: Knex;
  store: InventoryStore;
  logger: Logger;
  /** Consumer group (the service name, `inventory`). */
  groupId: string;
  /** Called after each applied event commits (wakes the outbox relay). */
  onCommit?: () => void;
}

/** What one event type does, inside the transaction that also records the event id. */
export type EventAction = (tx: InventoryTx, event: CloudEvent) => Promise<void>;

/** The actions of each consumed topic, by event type. */
export type TopicActions = Record<string, Record<string, EventAction>>;

/**
 * One subscription of the service's group to every topic it consumes, dispatching on topic and
 * event type. One, not one per topic: kafkajs assigns a group's partitions round-robin over all
 * members whatever each subscribed to, so a second member with other topics in the same group
 * would be handed partitions it never asked for, and their events would be skipped.
 * Each handled event is applied once per event id (the kit's idempotent consumer); types without
 * an action are acknowledged without a write.
 */
export function subscribeActions(deps: ConsumerDeps, actions: TopicActions): Promise<Subscription> {
  const apply = idempotent(deps.db, deps.groupId, (event, delivery, trx) =>
    actions[delivery.topic][event.type](deps.store.inTransaction(trx), event),
  );
  return deps.bus.subscribe({
    groupId: deps.groupId,
    topics: Object.keys(actions),
    handler: async (event, delivery) => {
      if (!Object.hasOwn(actions[delivery.topic] ?? {}, event.type)) return;
      await apply(event, delivery);
      deps.onCommit?.();
    },
  });
}
