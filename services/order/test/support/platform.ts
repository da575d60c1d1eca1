import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startInventory, type RunningInventory } from '@cartwheel/inventory';
import {
  createClientCredentialsTokens,
  createDatabase,
  createEmbeddedBus,
  createKafkaBus,
  createLogger,
  createTokenVerifier,
  listen,
  type EventBus,
  type Knex,
  type RunningService,
  type TokenVerifier,
} from '@cartwheel/kit';
import { openEmbeddedStore, openMongoStore, startCatalogService } from '@cartwheel/product';
import {
  createDatabase as createTestDatabase,
  createTestIssuer,
  freePort,
  type TestIssuer,
  testServers,
  uniqueName,
} from '@cartwheel/testing';
import { service as userService } from '@cartwheel/user';
import {
  createApp,
  createOrderStore,
  createUpstreams,
  startOrderService,
  type OrderStore,
  type RunningOrderService,
  type Upstreams,
} from '../../src/index.js';
import { httpClient, type Call } from './http.js';

export const silent = createLogger({ service: 'order-test', level: 'silent' });

/** The user service's own issuer (its default `JWT_ISSUER`). */
const OWN_ISSUER = 'http://localhost:8080';
const ADMIN = { email: 'admin@order-tests.example', password: 'Admin-Password-1' };
const SERVICE_SECRET = 'order-tests-service-client-secret';

export interface PlatformOptions {
  /** `kafka`: the real broker with unique topics; default an in-process bus. */
  bus?: 'embedded' | 'kafka';
  /** Wraps the order service's store (the benchmark times the insert transaction). */
  wrapStore?: (store: OrderStore) => OrderStore;
  /** Wraps the order service's upstream clients (the benchmark times each hop). */
  wrapUpstreams?: (upstreams: Upstreams) => Upstreams;
  /**
   * Where the catalog keeps its products: the MongoDB wire server (FerretDB, default), or the
   * product service's embedded store (the benchmark: FerretDB answers a batch read of two
   * products out of 100 in about 100 ms, which would measure FerretDB instead of the orders).
   */
  catalogStore?: 'mongo' | 'embedded';
  /**
   * false: the catalog does not follow inventory's stock.updated (its projection writes one at a
   * time and would queue the price reads behind 2 writes per order under benchmark load).
   */
  catalogFollowsStock?: boolean;
  /** Per-attempt timeout of the order service's upstream calls (default 2000). */
  upstreamTimeoutMs?: number;
  /** A pool size for the order and inventory databases (default 10). */
  poolMax?: number;
}

/**
 * The four services in this process, as the platform runs them: the real user service (tokens,
 * addresses, client credentials) on its own PostgreSQL database, the real catalog on the MongoDB
 * wire server (FerretDB), the real inventory on its own PostgreSQL database, and the order
 * service under test on another. Catalog, inventory and order share one bus (product.created →
 * stock, order.placed/cancelled → inventory). Every service accepts the user service's tokens
 * and a test issuer's, which mints shoppers in bulk without a registration each.
 */
export interface Platform {
  user: RunningService;
  product: RunningService;
  inventory: RunningInventory;
  order: RunningOrderService;
  orderDb: Knex;
  inventoryDb: Knex;
  bus: EventBus;
  topics: { products: string; inventory: string; orders: string };
  issuer: TestIssuer;
  verifier: TokenVerifier;
  /** An admin's token from the user service (login as the bootstrapped admin). */
  adminToken: string;
  /** The order service's own upstream clients (for apps a test builds on the same services). */
  upstreams: Upstreams;
  /** JSON clients of the four services. */
  call: { orders: Call; users: Call; products: Call; inventory: Call };
  stop(): Promise<void>;
}

async function login(users: Call, email: string, password: string): Promise<string> {
  const reply = await users('POST', '/api/v1/auth/login', { body: { email, password } });
  if (reply.status !== 200)
    throw new Error(`login of ${email} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.access_token as string;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'order-tests-'));
    stops.push(() => rm(dataDir, { recursive: true, force: true }));
    // User events are not under test: they stay on a bus of their own.
    const userBus = createEmbeddedBus({ logger: silent });
    stops.push(() => userBus.close());
    const user = await userService.start(
      {
        mode: 'connected',
        dataDir,
        bus: userBus,
        logger: silent,
        env: {
          USER_DATABASE_URL: await createTestDatabase('order_users'),
          SERVICE_CLIENT_SECRET: SERVICE_SECRET,
          CARTWHEEL_ADMIN_EMAIL: ADMIN.email,
          CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
          LOG_LEVEL: 'silent',
        },
      },
      0,
    );
    stops.push(() => user.stop());

    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier({
      issuers: [
        { issuer: OWN_ISSUER, audience: 'cartwheel', jwksUrl: `${user.url}/.well-known/jwks.json` },
        { issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks },
      ],
    });
    const bus =
      options.bus === 'kafka'
        ? createKafkaBus({
            brokers: testServers().kafkaBrokers,
            clientId: uniqueName('order-test'),
            logger: silent,
          })
        : createEmbeddedBus({ logger: silent });
    stops.push(() => bus.close());
    const topics = {
      products: uniqueName('products'),
      inventory: uniqueName('inventory'),
      orders: uniqueName('orders'),
    };

    const product = await startCatalogService({
      store:
        options.catalogStore === 'embedded'
          ? await openEmbeddedStore({ filename: path.join(dataDir, 'product', 'catalog.db') })
          : await openMongoStore({
              url: testServers().mongoUrl,
              database: uniqueName('order_catalog'),
              collection: 'products',
            }),
      bus,
      verifier,
      logger: silent,
      port: 0,
      host: '127.0.0.1',
      currency: 'USD',
      demoData: false,
      topics: {
        products: topics.products,
        inventory: options.catalogFollowsStock === false ? uniqueName('unused') : topics.inventory,
      },
      groupId: uniqueName('product'),
      relay: { pollIntervalMs: 50 },
    });
    stops.push(() => product.stop());

    const inventoryDb = createDatabase({
      url: await createTestDatabase('order_inventory'),
      poolMax: options.poolMax,
    });
    const inventory = await startInventory({
      db: inventoryDb,
      ownsDb: true,
      bus,
      verifier,
      logger: silent,
      port: 0,
      host: '127.0.0.1',
      reservationTtlSec: 900,
      sweepIntervalMs: 3_600_000,
      topics,
      groupId: uniqueName('inventory'),
    });
    stops.push(() => inventory.stop());

    const upstreams = createUpstreams({
      userUrl: user.url,
      productUrl: product.url,
      inventoryUrl: inventory.url,
      getToken: createClientCredentialsTokens({
        tokenUrl: `${user.url}/api/v1/auth/token`,
        clientId: 'order',
        clientSecret: SERVICE_SECRET,
      }),
      timeoutMs: options.upstreamTimeoutMs,
      logger: silent,
    });
    const orderDb = createDatabase({ url: await createTestDatabase('order'), poolMax: options.poolMax });
    // A wrapped store must still wake the relay, which exists once the service started.
    const started: { service?: RunningOrderService } = {};
    const store = options.wrapStore?.(
      createOrderStore(orderDb, { topic: topics.orders, onCommit: () => started.service?.relay.notify() }),
    );
    const order = await startOrderService({
      db: orderDb,
      ownsDb: true,
      bus,
      verifier,
      logger: silent,
      upstreams: options.wrapUpstreams?.(upstreams) ?? upstreams,
      port: 0,
      host: '127.0.0.1',
      topic: topics.orders,
      store,
    });
    started.service = order;
    stops.push(() => order.stop());

    const users = httpClient(user.url);
    return {
      user,
      product,
      inventory,
      order,
      orderDb,
      inventoryDb,
      bus,
      topics,
      issuer,
      verifier,
      adminToken: await login(users, ADMIN.email, ADMIN.password),
      upstreams,
      call: {
        orders: httpClient(order.url),
        users,
        products: httpClient(product.url),
        inventory: httpClient(inventory.url),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A URL where nothing listens (a port that was free a moment ago): an upstream that is down. */
export async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export interface ExtraApp {
  call: Call;
  close(): Promise<void>;
}

/**
 * A second order app on the platform's order database (its relay publishes what this one
 * writes), with some upstreams or the store replaced: an inventory that is down, a store that
 * fails between reserve and insert.
 */
export async function orderAppOn(
  platform: Platform,
  replace: { upstreams?: Partial<Upstreams>; store?: (store: OrderStore) => OrderStore },
): Promise<ExtraApp> {
  const store = createOrderStore(platform.orderDb, { topic: platform.topics.orders });
  const { app } = createApp({
    db: platform.orderDb,
    verifier: platform.verifier,
    logger: silent,
    upstreams: { ...platform.upstreams, ...replace.upstreams },
    store: replace.store ? replace.store(store) : store,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return { call: httpClient(server.url), close: () => server.close() };
}

/** Upstream clients like the platform's, with some services moved to where nothing listens. */
export async function upstreamsWithDown(platform: Platform, down: Array<'user' | 'product' | 'inventory'>) {
  const url = await deadUrl();
  const upstreams = createUpstreams({
    userUrl: down.includes('user') ? url : platform.user.url,
    productUrl: down.includes('product') ? url : platform.product.url,
    inventoryUrl: down.includes('inventory') ? url : platform.inventory.url,
    getToken: () => platform.issuer.token({ subject: 'order', roles: ['service'] }),
    logger: silent,
  });
  return upstreams;
}
