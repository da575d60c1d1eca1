import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { traceQueries } from './knex-tracing.js';

export type { Knex } from 'knex';

export interface DatabaseOptions {
  /** A `postgres://` URL: connect to a PostgreSQL server. */
  url?: string;
  /** Without `url`: run PGlite (the real Postgres engine, in process) with its data here. */
  dataDir?: string;
  /** Pool size for a server connection (PGlite always has exactly one connection). */
  poolMax?: number;
  /** Names the service in the spans of its queries (default: the current service scope's). */
  service?: string;
}

/**
 * A knex instance on PostgreSQL: a server when `url` is given (connected/Kubernetes modes),
 * otherwise embedded PGlite persisted under `dataDir` (or in memory when neither is given).
 * Each query is a span when tracing is on.
 *
 * @example const db = createDatabase({ url: config.DATABASE_URL, dataDir: '.data/order' });
 */
export function createDatabase(options: DatabaseOptions): Knex {
  const db = options.url
    ? knexFactory({ client: 'pg', connection: options.url, pool: { min: 0, max: options.poolMax ?? 10 } })
    : embedded(options.dataDir);
  traceQueries(db, options.service);
  return db;
}

function embedded(dataDir: string | undefined): Knex {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: { filename: dataDir ?? 'memory://' } as Knex.StaticConnectionConfig,
  });
}

/** Throws if the database does not answer (for `/ready`). */
export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}
