import path from 'node:path';
import type { Knex } from 'knex';
import { createDatabase } from '../db/knex.js';
import { createEmbeddedBus } from '../events/embedded-bus.js';
import { createKafkaBus, type KafkaBusOptions } from '../events/kafka-bus.js';
import type { EventBus } from '../events/types.js';
import type { Logger } from '../logging/logger.js';

/**
 * What a service is given to run with (DESIGN §5). In embedded mode every service in the
 * process shares one in-process bus and keeps its data under `<dataDir>/<service>/`; in
 * connected mode the same code is handed servers through the environment.
 */
export interface ServiceRuntime {
  mode: 'embedded' | 'connected';
  /** Root of embedded data (`CARTWHEEL_DATA_DIR`, default `.data`). */
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  /** The raw environment, for the service's own `loadConfig`. */
  env: NodeJS.ProcessEnv;
}

/** A started service: where it listens and how to stop it gracefully. */
export interface RunningService {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * How the platform (and each service's own `main.ts`) starts a service. Each service package
 * exports one of these as `service`.
 */
export interface ServiceDefinition {
  name: string;
  /** DESIGN §3 local port; the `<NAME>_PORT` variable overrides it. */
  defaultPort: number;
  start(runtime: ServiceRuntime, port: number): Promise<RunningService>;
}

/**
 * The event bus the environment asks for: Kafka when `KAFKA_BROKERS` is set, else in-process,
 * persisted under `<dataDir>/bus` when a data directory is given.
 *
 * @example const bus = createBusFromEnv(process.env, 'order', logger, '.data');
 */
export function createBusFromEnv(
  env: NodeJS.ProcessEnv,
  clientId: string,
  logger: Logger,
  dataDir?: string,
): EventBus {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length > 0) return createKafkaBus({ brokers, clientId, logger, ...kafkaSecurityFromEnv(env) });
  return createEmbeddedBus({ logger, ...(dataDir ? { dataDir: path.join(dataDir, 'bus') } : {}) });
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Kafka authentication from the environment, as a Strimzi `KafkaUser` Secret is mounted:
 * `KAFKA_SASL_MECHANISM` (`scram-sha-512`, `scram-sha-256` or `plain`) with `KAFKA_USERNAME` and
 * `KAFKA_PASSWORD`, and `KAFKA_SSL=true` for a TLS listener. Nothing set → plaintext, no SASL.
 * Throws on an unknown mechanism or a mechanism without credentials, so a misconfigured pod
 * fails at start instead of retrying connections forever.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv): Pick<KafkaBusOptions, 'ssl' | 'sasl'> {
  const security: Pick<KafkaBusOptions, 'ssl' | 'sasl'> = {};
  if (env.KAFKA_SSL === 'true') security.ssl = true;
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  if (!mechanism) return security;
  if (!SASL_MECHANISMS.includes(mechanism as (typeof SASL_MECHANISMS)[number])) {
    throw new Error(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got "${mechanism}"`);
  }
  const username = env.KAFKA_USERNAME;
  const password = env.KAFKA_PASSWORD;
  if (!username || !password) {
    throw new Error(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_USERNAME and KAFKA_PASSWORD`);
  }
  security.sasl = {
    mechanism: mechanism as (typeof SASL_MECHANISMS)[number],
    username,
    password,
  } as KafkaBusOptions['sasl'];
  return security;
}

/**
 * A service's PostgreSQL: `<SERVICE>_DATABASE_URL` or `DATABASE_URL` when set (connected and
 * Kubernetes modes), else PGlite persisted under `<dataDir>/<service>/postgres`.
 *
 * @example const db = databaseFor(runtime, 'order');
 */
export function databaseFor(runtime: ServiceRuntime, service: string): Knex {
  const url = runtime.env[`${service.toUpperCase()}_DATABASE_URL`] ?? runtime.env.DATABASE_URL;
  return createDatabase(
    url ? { url, service } : { dataDir: path.resolve(runtime.dataDir, service, 'postgres'), service },
  );
}
