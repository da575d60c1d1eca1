import {
  createKafkaBus,
  createLogger,
  createTokenVerifier,
  type CloudEvent,
  type EventBus,
  type Subscription,
} from '@cartwheel/kit';
import { createTestIssuer, testServers, uniqueName } from '@cartwheel/testing';
import { startCatalogService, type RunningCatalog } from '../../src/catalog-service.js';
import type { StoreAdapter } from './catalog-fixtures.js';
import { httpClient } from './http.js';

/** The whole product service (HTTP, relay, stock projection) on Kafka with unique topics. */
export interface KafkaCatalog {
  service: RunningCatalog;
  bus: EventBus;
  topics: { products: string; inventory: string };
  call: ReturnType<typeof httpClient>;
  admin: string;
  /** Events seen on the products topic by a watcher group of its own. */
  published: CloudEvent[];
  close(): Promise<void>;
}

export const kafkaBus = () =>
  createKafkaBus({
    brokers: testServers().kafkaBrokers,
    clientId: uniqueName('product-test'),
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 3_000,
  });

/** Collects every event of `topic` under a fresh consumer group. */
export async function watch(bus: EventBus, topic: string, into: CloudEvent[]): Promise<Subscription> {
  return bus.subscribe({
    groupId: uniqueName('watcher'),
    topics: [topic],
    handler: async (event) => void into.push(event),
  });
}

export async function startKafkaCatalog(adapter: StoreAdapter): Promise<KafkaCatalog> {
  const { store, cleanup } = await adapter.open();
  const bus = kafkaBus();
  const topics = { products: uniqueName('products'), inventory: uniqueName('inventory') };
  const issuer = await createTestIssuer();
  const service = await startCatalogService({
    store,
    bus,
    verifier: createTokenVerifier({ issuers: [issuer] }),
    logger: createLogger({ service: 'product', level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    currency: 'USD',
    demoData: false,
    topics,
    groupId: uniqueName('product'),
    relay: { pollIntervalMs: 50, initialBackoffMs: 100, maxBackoffMs: 1_000 },
  }).catch(async (error: unknown) => {
    await bus.close();
    await cleanup();
    throw error;
  });
  const published: CloudEvent[] = [];
  const watcher = await watch(bus, topics.products, published);
  return {
    service,
    bus,
    topics,
    call: httpClient(service.url),
    admin: await issuer.token({ subject: 'admin-1', roles: ['admin'] }),
    published,
    async close() {
      await watcher.stop();
      await service.stop();
      await bus.close();
      await cleanup();
    },
  };
}
