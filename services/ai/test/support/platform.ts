import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startInventory } from '@cartwheel/inventory';
import {
  createDatabase,
  createEmbeddedBus,
  createKafkaBus,
  createLogger,
  createTokenVerifier,
  type EventBus,
  type TokenVerifier,
} from '@cartwheel/kit';
import { openMongoStore, startCatalogService } from '@cartwheel/product';
import {
  createDatabase as createTestDatabase,
  createTestIssuer,
  eventually,
  freePort,
  SEED_PRODUCTS,
  type TestIssuer,
  testServers,
  uniqueName,
} from '@cartwheel/testing';
import {
  createUpstreams,
  DEFAULT_MODEL,
  startAiService,
  type ProviderBreakerOptions,
  type RunningAiService,
} from '../../src/index.js';
import { startFakeAnthropic, type FakeAnthropic } from './fake-anthropic.js';
import { httpClient, type Call, type Reply } from './http.js';

export const silent = createLogger({ service: 'ai-test', level: 'silent' });

/** A product to create besides the seed's three; `stock` is set on inventory only (the catalog keeps `quantity`). */
export interface ExtraProduct {
  name: string;
  description: string;
  category: string;
  price: number;
  quantity: number;
  stock?: number;
}

export interface PlatformOptions {
  /** `kafka`: the real broker (one partition per topic, so order across keys is kept); default in-process. */
  bus?: 'embedded' | 'kafka';
  extraProducts?: ExtraProduct[];
}

export interface AiOptions {
  /** `none`: no API key (no SDK client at all); default a fake Messages API. */
  provider?: 'fake' | 'none';
  timeoutMs?: number;
  breaker?: ProviderBreakerOptions;
  /** Where the ai service finds inventory (a dead URL: inventory unreachable). */
  inventoryUrl?: string;
  /** Topics and group of the order.placed consumer (default: unique ones of this platform). */
  topics?: { orders: string; notifications: string };
  groupId?: string;
}

export interface RunningAi {
  running: RunningAiService;
  url: string;
  /** The fake provider this instance talks to (also there, untouched, when `provider: 'none'`). */
  fake: FakeAnthropic;
  /** Calls the ai service as a signed-in shopper. */
  ask(method: string, path: string, body?: unknown): Promise<Reply>;
  call: Call;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real catalog (on the MongoDB wire server) and the real inventory (on its own PostgreSQL
 * database) with the seed's three products and any extra ones; ai services are started on them
 * with `startAi`. The catalog does not follow inventory's stock events here, so a test can make
 * inventory and catalog disagree about stock on purpose.
 */
export interface Platform {
  bus: EventBus;
  issuer: TestIssuer;
  verifier: TokenVerifier;
  productUrl: string;
  inventoryUrl: string;
  /** Product ids by name. */
  ids: Record<string, string>;
  topics: { orders: string; notifications: string };
  shopperToken: string;
  adminToken: string;
  products: Call;
  inventory: Call;
  startAi(options?: AiOptions): Promise<RunningAi>;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier({
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
    });
    const bus =
      options.bus === 'kafka'
        ? createKafkaBus({
            brokers: testServers().kafkaBrokers,
            clientId: uniqueName('ai-test'),
            logger: silent,
            partitions: 1,
          })
        : createEmbeddedBus({ logger: silent });
    stops.push(() => bus.close());
    const topics = {
      products: uniqueName('products'),
      inventory: uniqueName('inventory'),
      orders: uniqueName('orders'),
      notifications: uniqueName('ai_notifications'),
    };
    const product = await startCatalogService({
      store: await openMongoStore({
        url: testServers().mongoUrl,
        database: uniqueName('ai_catalog'),
        collection: 'products',
      }),
      bus,
      verifier,
      logger: silent,
      port: 0,
      host: '127.0.0.1',
      currency: 'USD',
      demoData: false,
      topics: { products: topics.products, inventory: uniqueName('not_followed') },
      groupId: uniqueName('product'),
      relay: { pollIntervalMs: 50 },
    });
    stops.push(() => product.stop());
    const inventory = await startInventory({
      db: createDatabase({ url: await createTestDatabase('ai_inventory') }),
      ownsDb: true,
      bus,
      verifier,
      logger: silent,
      port: 0,
      host: '127.0.0.1',
      reservationTtlSec: 900,
      sweepIntervalMs: 3_600_000,
      topics: { products: topics.products, inventory: topics.inventory, orders: uniqueName('orders_unused') },
      groupId: uniqueName('inventory'),
    });
    stops.push(() => inventory.stop());

    const adminToken = await issuer.token({ subject: 'admin-1', roles: ['admin'] });
    const shopperToken = await issuer.token({
      subject: 'shopper-1',
      roles: ['user'],
      email: 'shopper@example.com',
    });
    const products = httpClient(product.url);
    const stock = httpClient(inventory.url);
    const ids: Record<string, string> = {};
    for (const item of [...SEED_PRODUCTS, ...(options.extraProducts ?? [])]) {
      const { stock: level, ...body } = item as ExtraProduct;
      const created = await products('POST', '/api/v1/products', { token: adminToken, body });
      if (created.status !== 201) throw new Error(`creating ${item.name}: ${created.status} ${created.text}`);
      const id = created.body._id as string;
      ids[item.name] = id;
      await eventually(`inventory of ${item.name}`, async () => {
        return (await stock('GET', `/api/v1/inventory/${id}`, { token: adminToken })).status === 200;
      });
      if (level !== undefined) {
        const set = await stock('PUT', `/api/v1/inventory/${id}`, {
          token: adminToken,
          body: { available_quantity: level },
        });
        if (set.status !== 200) throw new Error(`stock of ${item.name}: ${set.status} ${set.text}`);
      }
    }

    async function startAi(ai: AiOptions = {}): Promise<RunningAi> {
      const fake = await startFakeAnthropic();
      try {
        const running = await startAiService({
          bus,
          verifier,
          logger: silent,
          upstreams: createUpstreams({
            productUrl: product.url,
            inventoryUrl: ai.inventoryUrl ?? inventory.url,
            getToken: () => issuer.token({ subject: 'ai', roles: ['service'] }),
            logger: silent,
          }),
          provider:
            ai.provider === 'none'
              ? undefined
              : {
                  apiKey: 'test-key',
                  baseUrl: fake.url,
                  model: DEFAULT_MODEL,
                  maxTokens: 256,
                  breaker: ai.breaker,
                },
          timeoutMs: ai.timeoutMs ?? 5_000,
          port: 0,
          host: '127.0.0.1',
          topics: ai.topics ?? { orders: topics.orders, notifications: topics.notifications },
          groupId: ai.groupId ?? uniqueName('ai'),
        });
        const call = httpClient(running.url);
        return {
          running,
          url: running.url,
          fake,
          call,
          ask: (method, route, body) => call(method, route, { token: shopperToken, body }),
          metrics: async () => (await call('GET', '/metrics')).text,
          async stop() {
            await running.stop();
            await fake.close();
          },
        };
      } catch (error) {
        await fake.close();
        throw error;
      }
    }

    return {
      bus,
      issuer,
      verifier,
      productUrl: product.url,
      inventoryUrl: inventory.url,
      ids,
      topics: { orders: topics.orders, notifications: topics.notifications },
      shopperToken,
      adminToken,
      products,
      inventory: stock,
      startAi,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A URL where nothing listens (a port that was free a moment ago): a service that is down. */
export async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** The seed's products by role in these tests. */
export const SMARTPHONE = 'Premium Smartphone';
export const HEADPHONES = 'Wireless Noise-Cancelling Headphones';
export const WATCH = 'Smart Fitness Watch';

/** A temporary directory removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Mocha hooks for a suite on one platform with one ai service: started before the suite, stopped
 * after it, the fake provider's recorded requests cleared before each test.
 *
 * @example const suite = useAiSuite(); before(() => ({ platform, ai } = suite));
 */
export function useAiSuite(
  options: PlatformOptions = {},
  ai: AiOptions = {},
): { platform: Platform; ai: RunningAi } {
  const suite = {} as { platform: Platform; ai: RunningAi };
  before(async () => {
    suite.platform = await startPlatform(options);
    suite.ai = await suite.platform.startAi(ai);
  });
  after(async () => {
    await suite.ai?.stop();
    await suite.platform?.stop();
  });
  beforeEach(() => {
    suite.ai.fake.requests.length = 0;
  });
  return suite;
}
