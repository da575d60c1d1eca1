import {
  createServiceApp,
  listen,
  startOutboxRelay,
  type EventBus,
  type Logger,
  type OutboxRelayOptions,
  type ReadinessCheck,
  type RunningService,
  type ServiceApp,
  type Subscription,
  type TokenVerifier,
} from '@cartwheel/kit';
import { catalogOutboxStore } from './data-access/catalog-outbox.store.js';
import { documentCatalogRepository } from './data-access/document-catalog.repository.js';
import type { DocumentStore } from './data-access/document-store.js';
import { catalogUseCases, type Catalog } from './domain/catalog.use-cases.js';
import { seedDemoCatalog } from './domain/demo-catalog.js';
import { stockUpdatedConsumer } from './entry-points/events/stock-updated.consumer.js';
import { productRoutes } from './entry-points/http/products.routes.js';

export const SERVICE_NAME = 'product';
/** DESIGN §7: the catalog publishes on `products` and projects stock from `inventory`. */
export const DEFAULT_TOPICS = { products: 'products', inventory: 'inventory' };

export interface AppDeps {
  catalog: Catalog;
  verifier: TokenVerifier;
  logger: Logger;
  readiness?: ReadinessCheck[];
}

/**
 * The product service's Koa app (routes, `/health`, `/ready`, `/metrics`, `/openapi.json`),
 * without a server, relay or consumer: tests listen on port 0.
 *
 * @example const { app } = createApp({ catalog, verifier, logger }); await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  return createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    routers: [productRoutes({ catalog: deps.catalog, verifier: deps.verifier })],
    readiness: deps.readiness,
  });
}

export interface CatalogServiceOptions {
  /** The open document store (MongoDB or embedded); the service closes it on stop. */
  store: DocumentStore;
  bus: EventBus;
  verifier: TokenVerifier;
  logger: Logger;
  port: number;
  host?: string;
  currency: string;
  /** Seed the demo products when the catalog has never held one. */
  demoData: boolean;
  /** Topics published and consumed (default `products` and `inventory`; tests use unique ones). */
  topics?: { products: string; inventory: string };
  /** Consumer group of the stock projection (default `product`). */
  groupId?: string;
  /** Relay tuning (tests shorten the backoff). */
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'initialBackoffMs' | 'maxBackoffMs'>;
}

export interface RunningCatalog extends RunningService {
  catalog: Catalog;
}

/**
 * Starts the catalog on an open document store: indexes, topics, the HTTP server, the outbox relay
 * (publishing on `topics.products`), the stock projection (consuming `topics.inventory`) and,
 * on a never-used catalog, the demo products. `stop()` fails `/ready`, drains HTTP, stops the
 * consumer and the relay, then closes the store.
 */
export async function startCatalogService(options: CatalogServiceOptions): Promise<RunningCatalog> {
  const { bus, logger } = options;
  const topics = options.topics ?? DEFAULT_TOPICS;
  const repository = documentCatalogRepository(options.store, { topic: topics.products });
  await repository.init();
  await bus.ensureTopics([topics.products, topics.inventory]);

  let notifyRelay = () => {};
  const catalog = catalogUseCases({
    repository,
    currency: options.currency,
    afterWrite: () => notifyRelay(),
  });
  const { app, registry, readiness } = createApp({
    catalog,
    verifier: options.verifier,
    logger,
    readiness: [{ name: 'catalog store', check: () => repository.ping() }],
  });
  const relay = startOutboxRelay({
    store: catalogOutboxStore(repository),
    bus,
    logger,
    registry,
    // Every write wakes the relay (`afterWrite`); polling only catches leases that expired. Looking
    // for pending outboxes scans the collection where the store cannot use the index (FerretDB
    // 1.x: about 0.35 ms of its CPU per product), so an idle relay looks rarely.
    pollIntervalMs: 2_000,
    ...options.relay,
  });
  notifyRelay = () => relay.notify();

  let subscription: Subscription | undefined;
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    subscription = await bus.subscribe({
      groupId: options.groupId ?? SERVICE_NAME,
      topics: [topics.inventory],
      handler: stockUpdatedConsumer(catalog, logger),
    });
    if (options.demoData) {
      const created = await seedDemoCatalog(catalog, () => repository.isEmpty());
      if (created > 0)
        logger.info({ created }, 'seeded the demo catalog (CARTWHEEL_DEMO_DATA=false to skip)');
    }
    server = await listen(app, options.port, options.host);
  } catch (error) {
    await subscription?.stop();
    await relay.stop();
    await repository.close();
    throw error;
  }
  const running = server;
  return {
    name: SERVICE_NAME,
    url: running.url,
    catalog,
    async stop() {
      readiness.draining = true;
      await running.close();
      await subscription?.stop();
      await relay.stop();
      await repository.close();
    },
  };
}
