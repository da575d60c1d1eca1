import type { Knex } from 'knex';

/**
 * Another replica migrating at the same moment: knex's lock is taken (it fails instead of
 * waiting), or both created knex's own tables at once (42P07 duplicate table; 23505 on pg_type or 42710
 * "type already exists", depending on which catalog insert loses the race).
 */
function racedAnotherReplica(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  return name === 'MigrationLocked' || code === '42P07' || code === '23505' || code === '42710';
}

export interface MigrateOptions {
  /** How often to try while another replica holds the migration lock (default 60). */
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * Brings a service's schema up to date; run at every start. Migrations are passed in by name
 * (imported statically by the service) rather than read from a folder: names carry no file
 * extension, so a database migrated from src (`.ts` under tsx) is current for dist (`.js`), and
 * compiled `.d.ts` files are never taken for migrations. Replicas starting together take turns:
 * those that find the lock taken wait and retry, then find nothing left to do.
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
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate.latest({ migrationSource: source });
      return;
    } catch (error) {
      if (attempt >= attempts || !racedAnotherReplica(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 250));
    }
  }
}
