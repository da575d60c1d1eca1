import { Registry } from 'prom-client';
import {
  createServiceApp,
  pingDatabase,
  type Knex,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type TokenVerifier,
} from '@cartwheel/kit';
import { createOrderStore } from './data-access/order.store.js';
import type { Upstreams } from './data-access/upstreams.js';
import type { IdempotencySettings } from './domain/place-order.use-case.js';
import type { OrderStore } from './domain/ports.js';
import { orderRoutes } from './entry-points/http/orders.routes.js';
import { createOrderMetrics, measuredStore } from './metrics.js';

export const DEFAULT_IDEMPOTENCY: IdempotencySettings = { waitMs: 5_000, staleAfterSec: 60 };

export interface AppDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  /** Catalog, inventory and user (`createUpstreams`). */
  upstreams: Pick<Upstreams, 'catalog' | 'stock' | 'profiles'>;
  /** Defaults to a store on `db` writing events for `topic`. Tests wrap it to inject failures. */
  store?: OrderStore;
  /** Topic of the order events (default `orders`). */
  topic?: string;
  /** Called after a transaction that wrote events commits (the outbox relay's `notify`). */
  onCommit?: () => void;
  idempotency?: Partial<IdempotencySettings>;
  /** Checked by `/ready` besides the database. */
  readiness?: ReadinessCheck[];
}

/**
 * The order service's HTTP app (no listening, no relay): what tests mount on port 0.
 *
 * @example const { app } = createApp({ db, verifier, logger, upstreams }); await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  const registry = new Registry();
  const metrics = createOrderMetrics(registry);
  const store = measuredStore(
    deps.store ?? createOrderStore(deps.db, { topic: deps.topic, onCommit: deps.onCommit }),
    metrics,
  );
  return createServiceApp({
    service: 'order',
    logger: deps.logger,
    registry,
    // 50 lines and an address fit in a few kB; anything near this is not an order.
    bodyLimit: '64kb',
    routers: [
      orderRoutes({
        ...deps.upstreams,
        store,
        metrics,
        verifier: deps.verifier,
        logger: deps.logger,
        idempotency: { ...DEFAULT_IDEMPOTENCY, ...deps.idempotency },
      }),
    ],
    readiness: [{ name: 'database', check: () => pingDatabase(deps.db) }, ...(deps.readiness ?? [])],
  });
}
