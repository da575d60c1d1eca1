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

/**
 * Subscribes `actions` (by event type) to `topic`. Each handled event is applied once per event
 * id (the kit's idempotent consumer); types without an action are skipped without a write.
 */
export function subscribeActions(
  deps: ConsumerDeps,
  name: string,
  topic: string,
  actions: Record<string, EventAction>,
): Promise<Subscription> {
  const apply = idempotent(deps.db, `${deps.groupId}.${name}`, (event, _delivery, trx) =>
    actions[event.type](deps.store.inTransaction(trx), event),
  );
  return deps.bus.subscribe({
    groupId: deps.groupId,
    topics: [topic],
    handler: async (event, delivery) => {
      if (!Object.hasOwn(actions, event.type)) return;
      await apply(event, delivery);
      deps.onCommit?.();
    },
  });
}
