import {
  createDatabase,
  createEmbeddedBus,
  createLogger,
  createTokenVerifier,
  type EventBus,
  type Knex,
} from '@cartwheel/kit';
import {
  createDatabase as createTestDatabase,
  createTestIssuer,
  uniqueName,
  type TestIssuer,
} from '@cartwheel/testing';
import { startInventory, type InventoryTopics, type RunningInventory } from '../../src/index.js';

export const silentLogger = createLogger({ service: 'inventory-test', level: 'silent' });

/** Where a suite's inventory keeps its data. */
export type Storage = 'PostgreSQL server' | 'PGlite';

/** A fresh database: its own PostgreSQL database on the test server (a pool of `poolMax`), or in-memory PGlite. */
export async function openDatabase(storage: Storage, poolMax = 10): Promise<Knex> {
  if (storage === 'PGlite') return createDatabase({});
  return createDatabase({ url: await createTestDatabase('inventory'), poolMax });
}

/** The callers tests use: a shopper, an admin, another service. */
export interface Tokens {
  user: string;
  admin: string;
  service: string;
}

export interface HarnessOptions {
  storage?: Storage;
  /** A database the harness uses (and destroys on stop) instead of opening one. */
  db?: Knex;
  poolMax?: number;
  /** Defaults to a fresh in-memory bus. */
  bus?: EventBus;
  topics?: InventoryTopics;
  groupId?: string;
  reservationTtlSec?: number;
  /** Default 1 hour: suites sweep with `sweeper.sweepNow()` unless they test the timer. */
  sweepIntervalMs?: number;
}

export interface Harness {
  inventory: RunningInventory;
  db: Knex;
  bus: EventBus;
  topics: InventoryTopics;
  issuer: TestIssuer;
  tokens: Tokens;
  stop(): Promise<void>;
}

/** Starts the whole inventory service (migrations, relay, consumers, sweeper, HTTP on port 0). */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = options.db ?? (await openDatabase(options.storage ?? 'PostgreSQL server', options.poolMax));
  const ownsBus = options.bus === undefined;
  const bus = options.bus ?? createEmbeddedBus({ logger: silentLogger });
  const topics = options.topics ?? {
    products: uniqueName('products'),
    orders: uniqueName('orders'),
    inventory: uniqueName('inventory'),
  };
  const issuer = await createTestIssuer();
  const inventory = await startInventory({
    db,
    ownsDb: true,
    bus,
    verifier: createTokenVerifier({
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
    }),
    logger: silentLogger,
    port: 0,
    host: '127.0.0.1',
    reservationTtlSec: options.reservationTtlSec ?? 900,
    sweepIntervalMs: options.sweepIntervalMs ?? 3_600_000,
    topics,
    groupId: options.groupId ?? uniqueName('inventory'),
  });
  const tokens: Tokens = {
    user: await issuer.token({ subject: 'shopper-1', roles: ['user'] }),
    admin: await issuer.token({ subject: 'admin-1', roles: ['admin'] }),
    service: await issuer.token({ subject: 'order-service', roles: ['service'] }),
  };
  return {
    inventory,
    db,
    bus,
    topics,
    issuer,
    tokens,
    async stop() {
      await inventory.stop();
      if (ownsBus) await bus.close();
    },
  };
}
