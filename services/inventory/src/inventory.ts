import {
  listen,
  shutdown,
  startOutboxRelay,
  type EventBus,
  type Knex,
  type Logger,
  type OutboxRelay,
  type RunningService,
  type ServiceApp,
  type ShutdownStep,
  type TokenVerifier,
} from '@cartwheel/kit';
import { Registry } from 'prom-client';
import { createApp } from './app.js';
import { createInventoryStore } from './data-access/inventory.store.js';
import { migrate } from './data-access/migrate.js';
import { subscribeActions } from './entry-points/events/consumer.js';
import { orderEventActions } from './entry-points/events/order-events.consumer.js';
import { productEventActions } from './entry-points/events/product-events.consumer.js';
import { startReservationSweeper, type ReservationSweeper } from './entry-points/jobs/reservation-sweeper.js';
import { createInventoryMetrics, measuredStore } from './metrics.js';

/** The fixed topic names (common brief "Event contracts"); tests pass unique ones. */
export interface InventoryTopics {
  products: string;
  orders: string;
  inventory: string;
}

export const DEFAULT_TOPICS: InventoryTopics = {
  products: 'products',
  orders: 'orders',
  inventory: 'inventory',
};

export interface InventoryDeps {
  db: Knex;
  bus: EventBus;
  verifier: TokenVerifier;
  logger: Logger;
  port: number;
  host?: string;
  reservationTtlSec: number;
  sweepIntervalMs: number;
  topics?: InventoryTopics;
  /** Consumer group (default `inventory`). */
  groupId?: string;
  /** Destroy `db` on stop (true when the service made it). */
  ownsDb?: boolean;
  /** Stop deadline (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningInventory extends RunningService {
  service: ServiceApp;
  relay: OutboxRelay;
  sweeper: ReservationSweeper;
}

/**
 * Migrates, then starts everything the inventory service runs: the outbox relay, the product and
 * order consumers, the reservation sweeper and the HTTP server. `stop()` fails `/ready`, drains
 * HTTP, stops the sweeper, consumers and relay, then closes the pool (STYLE.md §8).
 */
export async function startInventory(deps: InventoryDeps): Promise<RunningInventory> {
  const { db, bus, logger } = deps;
  const topics = deps.topics ?? DEFAULT_TOPICS;
  const steps: ShutdownStep[] = [];
  const stop = async () => {
    await shutdown([...steps].reverse(), logger, deps.shutdownTimeoutMs ?? 10_000);
  };
  if (deps.ownsDb) steps.push({ name: 'database', stop: () => db.destroy() });
  try {
    await migrate(db);
    await bus.ensureTopics([topics.products, topics.orders, topics.inventory]);
    // The relay needs the app's metrics registry, the app needs the store, the store wakes the relay.
    const relayRef: { current?: OutboxRelay } = {};
    const onCommit = () => relayRef.current?.notify();
    const plainStore = createInventoryStore(db, { topic: topics.inventory, onCommit });
    const registry = new Registry();
    const metrics = createInventoryMetrics(registry, plainStore.queries, logger);
    const store = measuredStore(plainStore, metrics);
    const service = createApp({
      db,
      store,
      registry,
      verifier: deps.verifier,
      logger,
      reservationTtlSec: deps.reservationTtlSec,
      readiness: [{ name: 'event bus', check: () => bus.ping() }],
    });
    const relay = startOutboxRelay({ db, bus, logger, registry: service.registry });
    relayRef.current = relay;
    steps.push({ name: 'outbox relay', stop: () => relay.stop() });

    const consumer = await subscribeActions(
      { bus, db, store, logger, groupId: deps.groupId ?? 'inventory', onCommit },
      { [topics.products]: productEventActions(logger), [topics.orders]: orderEventActions(logger) },
    );
    steps.push({ name: 'event consumer', stop: () => consumer.stop() });

    const sweeper = startReservationSweeper({ run: store.run, intervalMs: deps.sweepIntervalMs, logger });
    steps.push({ name: 'reservation sweeper', stop: () => sweeper.stop() });

    const server = await listen(service.app, deps.port, deps.host);
    steps.push({ name: 'http', stop: () => server.close() });
    steps.push({ name: 'readiness', stop: () => void (service.readiness.draining = true) });
    return { name: 'inventory', url: server.url, service, relay, sweeper, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
