import type { Knex } from 'knex';
import * as users from './migrations/001_users.js';
import * as outbox from './migrations/002_outbox.js';

/**
 * The migrations, imported rather than read from a folder: names carry no extension, so a
 * database migrated from src (tsx, `.ts`) is current for dist (`.js`) and back, and the compiled
 * `.d.ts` files are never mistaken for migrations.
 */
const migrations: Record<string, Knex.Migration> = {
  '001_users': users,
  '002_outbox': outbox,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** Brings the schema up to date; run at every start. */
export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: source });
}
