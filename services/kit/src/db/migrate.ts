import type { Knex } from 'knex';
import pg from 'pg';

/** The advisory lock every replica takes before migrating (per database; any fixed bigint). */
const MIGRATION_LOCK_KEY = 7_201_530_611;

/** knex's own lock is held by a migrator that is not ours (knex CLI, an older release). */
function lockedByAnotherMigrator(error: unknown): boolean {
  return (error as { name?: string }).name === 'MigrationLocked';
}

export interface MigrateOptions {
  /** How often to try while another migrator holds knex's lock (default 60). */
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * Brings a service's schema up to date; run at every start. Migrations are passed in by name
 * (imported statically by the service) rather than read from a folder: names carry no file
 * extension, so a database migrated from src (`.ts` under tsx) is current for dist (`.js`), and
 * compiled `.d.ts` files are never taken for migrations.
 *
 * Replicas starting together take turns on a PostgreSQL advisory lock held by a connection of
 * its own, then find nothing left to do. knex's lock alone is not enough: two replicas that
 * create `knex_migrations_lock` together can each insert its row, after which knex finds
 * "Migration table is already locked" for ever (its lock update must touch exactly one row).
 *
 * @example await migrateLatest(db, { '001_orders': orders, '002_outbox': outboxMigration() });
 */
export async function migrateLatest(
  db: Knex,
  migrations: Record<string, Knex.Migration>,
  options: MigrateOptions = {},
): Promise<void> {
  const source: Knex.MigrationSource<string> = {
    getMigrations: async () => Object.keys(migrations).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name],
  };
  const attempts = options.attempts ?? 60;
  await whileHoldingMigrationLock(db, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.migrate.latest({ migrationSource: source });
        return;
      } catch (error) {
        if (attempt >= attempts || !lockedByAnotherMigrator(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 250));
      }
    }
  });
}

/**
 * Runs `work` while this process holds the database's migration advisory lock. The lock lives
 * on a dedicated connection (not one of the pool's, which knex needs for the migration), so a
 * replica that dies mid-migration releases it with its connection. PGlite has one connection
 * and one process: nothing to take turns with.
 */
async function whileHoldingMigrationLock(db: Knex, work: () => Promise<void>): Promise<void> {
  const { client, connection } = db.client.config as Knex.Config;
  if (client !== 'pg') return work();
  const holder = new pg.Client(connection as string | pg.ClientConfig);
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await work();
  } finally {
    await holder.end();
  }
}
