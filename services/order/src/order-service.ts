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
import { createApp, type AppDeps } from './app.js';
import { idempotencyKeys } from './data-access/idempotency.repository.js';
import { migrate } from './data-access/migrate.js';
import type { Upstreams } from './data-access/upstreams.js';

export const DEFAULT_TOPIC = 'orders';

export interface OrderServiceDeps {
  db: Knex;
  bus: EventBus;
  verifier: TokenVerifier;
  logger: Logger;
  upstreams: Upstreams;
  port: number;
  host?: string;
  /** Topic of the order events (default `orders`; tests pass unique ones). */
  topic?: string;
  idempotency?: AppDeps['idempotency'];
  /** How long a used Idempotency-Key is remembered (default 24 h). */
  keyTtlSec?: number;
  /** Tests inject failures through the store. */
  store?: AppDeps['store'];
  /** Destroy `db` on stop (true when the service made it). */
  ownsDb?: boolean;
  /** Stop deadline (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningOrderService extends RunningService {
  service: ServiceApp;
  relay: OutboxRelay;
}

/** Purges expired Idempotency-Keys hourly; a failure is logged and tried again next time. */
function startKeyPurge(db: Knex, ttlSec: number, logger: Logger): ShutdownStep {
  const keys = idempotencyKeys(db);
  const timer = setInterval(() => {
    keys
      .purge(ttlSec)
      .then((purged) => purged > 0 && logger.debug({ purged }, 'purged expired Idempotency-Keys'))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not purge expired Idempotency-Keys'));
  }, 3_600_000);
  timer.unref();
  return { name: 'idempotency key purge', stop: () => clearInterval(timer) };
}

/**
 * Migrates, then starts the outbox relay (topic `orders`), the key purge and the HTTP server.
 * `stop()` fails `/ready`, drains HTTP, stops the purge and the relay, then closes the upstream
 * clients and the pool (STYLE.md §8).
 */
export async function startOrderService(deps: OrderServiceDeps): Promise<RunningOrderService> {
  const { db, bus, logger } = deps;
  const topic = deps.topic ?? DEFAULT_TOPIC;
  const steps: ShutdownStep[] = [];
  const stop = async () => {
    await shutdown([...steps].reverse(), logger, deps.shutdownTimeoutMs ?? 10_000);
  };
  if (deps.ownsDb) steps.push({ name: 'database', stop: () => db.destroy() });
  steps.push({ name: 'upstream clients', stop: () => deps.upstreams.close() });
  try {
    await migrate(db);
    await bus.ensureTopics([topic]);
    // The relay needs the app's metrics registry; the app wakes the relay after each commit.
    const relayRef: { current?: OutboxRelay } = {};
    const service = createApp({
      db,
      verifier: deps.verifier,
      logger,
      upstreams: deps.upstreams,
      store: deps.store,
      topic,
      onCommit: () => relayRef.current?.notify(),
      idempotency: deps.idempotency,
      readiness: [{ name: 'event bus', check: () => bus.ping() }],
    });
    const relay = startOutboxRelay({ db, bus, logger, registry: service.registry });
    relayRef.current = relay;
    steps.push({ name: 'outbox relay', stop: () => relay.stop() });
    steps.push(startKeyPurge(db, deps.keyTtlSec ?? 24 * 3600, logger));

    const server = await listen(service.app, deps.port, deps.host);
    steps.push({ name: 'http', stop: () => server.close() });
    steps.push({ name: 'readiness', stop: () => void (service.readiness.draining = true) });
    return { name: 'order', url: server.url, service, relay, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
