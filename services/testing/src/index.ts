/**
 * The real servers integration tests run against. `mochaGlobalSetup` (see ./mocha-global.ts)
 * starts PostgreSQL, Redis, Kafka and FerretDB once per run on free loopback ports and publishes
 * where they are through `TEST_*` variables; suites call the helpers below to get isolated
 * databases, topics and collections. Set the `TEST_*` variables yourself to use servers you
 * already run: the harness then starts none of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readBinaries, startKeycloak, type RunningKafka } from './servers.js';

export interface TestServers {
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  mongoUrl: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`make test\` (mocha global setup)`);
  return value;
}

/** Where the test servers of this run listen. */
export function testServers(): TestServers {
  return {
    postgresUrl: required('TEST_POSTGRES_URL'),
    redisUrl: required('TEST_REDIS_URL'),
    kafkaBrokers: required('TEST_KAFKA_BROKERS').split(','),
    mongoUrl: required('TEST_MONGO_URL'),
  };
}

/** A name no other suite in this run uses: `orders_3f9a1c`. Safe for databases, topics, groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Creates an empty PostgreSQL database for one suite and returns its connection URL. */
export async function createDatabase(prefix = 'test'): Promise<string> {
  const adminUrl = testServers().postgresUrl;
  const name = uniqueName(prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_'));
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

let kafkaControl: RunningKafka | undefined;

/** Registers the broker the harness started, so fault tests can stop and restart it. */
export function registerKafka(kafka: RunningKafka | undefined): void {
  kafkaControl = kafka;
}

/**
 * Stops the shared Kafka broker, runs `during`, then starts it again (same port and data) and
 * waits until it answers. Only possible when the harness started the broker itself.
 */
export async function withKafkaStopped<T>(during: () => Promise<T>): Promise<T> {
  if (!kafkaControl)
    throw new Error('the Kafka broker was not started by this harness; it cannot be stopped');
  await kafkaControl.stop();
  try {
    return await during();
  } finally {
    await kafkaControl.start();
  }
}

/**
 * Polls `check` until it holds; rejects naming `what` after `timeoutMs`.
 *
 * @example await eventually('the order event to arrive', () => received.length === 1);
 */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const teardowns: Array<() => Promise<void>> = [];

/** Runs `stop` in the mocha global teardown (servers a suite started lazily, such as Keycloak). */
export function registerTeardown(stop: () => Promise<void>): void {
  teardowns.push(stop);
}

/** Called by the global teardown: runs every registered stop, newest first. */
export async function runTeardowns(): Promise<void> {
  await Promise.allSettled(
    teardowns
      .splice(0)
      .reverse()
      .map((stop) => stop()),
  );
}

/** The Cartwheel realm export (realm `cartwheel`), shared with the Helm chart. */
export const keycloakRealmFile = fileURLToPath(
  new URL('../../../charts/cartwheel/files/keycloak/realm-cartwheel.json', import.meta.url),
);

/** A Keycloak server for tests, with the `cartwheel` realm imported. */
export interface TestKeycloak {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** A realm's issuer URL (`iss` of its tokens): `${url}/realms/${realm}`. */
  realmUrl(realm: string): string;
  /** A master-realm admin access token for the admin REST API. */
  adminToken(): Promise<string>;
  /** Creates a realm from a representation (the realm-export JSON format) through the admin API. */
  importRealm(representation: { realm: string } & Record<string, unknown>): Promise<void>;
}

let keycloakStarting: Promise<TestKeycloak> | undefined;

/**
 * Keycloak for the suites that need it, started on first call (20–60 s, ~1 GB) and once per
 * run; its stop runs in the global teardown. When `TEST_KEYCLOAK_URL` is set (with
 * `TEST_KEYCLOAK_ADMIN_PASSWORD`, and `TEST_KEYCLOAK_ADMIN_USER` if not `admin`), that server is
 * used instead; it must have the `cartwheel` realm imported.
 *
 * @example const kc = await keycloak(); const issuer = kc.realmUrl('cartwheel');
 */
export function keycloak(): Promise<TestKeycloak> {
  keycloakStarting ??= (async () => {
    if (process.env.TEST_KEYCLOAK_URL) {
      return keycloakClient(
        process.env.TEST_KEYCLOAK_URL.replace(/\/+$/, ''),
        process.env.TEST_KEYCLOAK_ADMIN_USER || 'admin',
        required('TEST_KEYCLOAK_ADMIN_PASSWORD'),
      );
    }
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-keycloak-'));
    try {
      const server = await startKeycloak(readBinaries(), workDir, [keycloakRealmFile]);
      registerTeardown(async () => {
        await server.stop();
        rmSync(workDir, { recursive: true, force: true });
      });
      process.env.TEST_KEYCLOAK_URL = server.url;
      process.env.TEST_KEYCLOAK_ADMIN_PASSWORD = server.adminPassword;
      return keycloakClient(server.url, server.adminUsername, server.adminPassword);
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  })();
  // A failed start is not cached, so a later suite gets its own error instead of a stale one.
  keycloakStarting.catch(() => (keycloakStarting = undefined));
  return keycloakStarting;
}

function keycloakClient(url: string, adminUsername: string, adminPassword: string): TestKeycloak {
  const adminToken = async () => {
    const response = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: adminUsername,
        password: adminPassword,
      }),
    });
    if (!response.ok)
      throw new Error(`Keycloak admin login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  return {
    url,
    realmUrl: (realm) => `${url}/realms/${realm}`,
    adminToken,
    async importRealm(representation) {
      const response = await fetch(`${url}/admin/realms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify(representation),
      });
      if (response.status !== 201) {
        throw new Error(
          `Keycloak refused realm ${representation.realm}: ${response.status} ${await response.text()}`,
        );
      }
    },
  };
}

export * from './tokens.js';
export { httpCall, type CallOptions, type Reply } from './http-call.js';
export { freePort } from './process.js';
export { readBinaries, startRedis, type RunningServer } from './servers.js';
export { SEED_PRODUCTS } from './seed-data.js';
