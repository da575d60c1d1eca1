import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const MIGRATION_FILE = /^(\d+_[\w-]+)\.(ts|js)$/;

/**
 * The migrations next to this file, from src (`.ts` through tsx) or from dist (`.js`). Named
 * without their extension, so a database migrated from one is current for the other; knex's own
 * folder loader would record `x.ts` and `x.js` as different migrations, and with `.ts` allowed it
 * would also try to run the compiled `x.d.ts`.
 */
const folderSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return (await readdir(MIGRATIONS_DIR)).filter((file) => MIGRATION_FILE.test(file)).sort();
  },
  getMigrationName: (file) => file.replace(MIGRATION_FILE, '$1'),
  getMigration: (file) =>
    import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href) as Promise<Knex.Migration>,
};

/** Brings the schema up to date; run at every start. */
export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: folderSource });
}
