/**
 * The real servers integration tests run against. `mochaGlobalSetup` (see ./mocha-global.ts)
 * starts PostgreSQL, Redis, Kafka and FerretDB once per run on free loopback ports and publishes
 * where they are through `TEST_*` variables; suites call the helpers below to get isolated
 * databases, topics and collections. Set the `TEST_*` variables yourself to use servers you
 * already run: the harness then starts none of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { RunningKafka } from './servers.js';

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

export * from './tokens.js';
