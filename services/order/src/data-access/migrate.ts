import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const MIGRATION_FILE = /^(\d+_[\w-]+)\.(ts|js)$/;

/**
 * The migrations next to this file, from src (`.ts` through tsx) or from dist (`.js`), named
 * without their extension so a database migrated from one is current for the other (knex's
 * folder loader would record `x.ts` and `x.js` as two migrations, and try to run `x.d.ts`).
 */
const folderSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return (await readdir(MIGRATIONS_DIR)).filter((file) => MIGRATION_FILE.test(file)).sort();
  },
  getMigrationName: (file) => file.replace(MIGRATION_FILE, '$1'),
  getMigration: (file) =>
    import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href) as Promise<Knex.Migration>,
};

/** Another replica is migrating: knex's lock is taken, or both created knex's own tables at once. */
const racedAnotherReplica = (error: unknown): boolean => {
  const { name, code } = error as { name?: string; code?: string };
  return name === 'MigrationLocked' || code === '42P07' || code === '23505';
};

/** Brings the schema up to date; run at every start. Replicas starting together take turns. */
export async function migrate(db: Knex, attempts = 60, retryDelayMs = 250): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate.latest({ migrationSource: folderSource });
      return;
    } catch (error) {
      if (attempt >= attempts || !racedAnotherReplica(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  }
}
