import { expect } from 'chai';
import type { Knex } from 'knex';
import { createDatabase as createTestDatabase } from '@cartwheel/testing';
import { createDatabase, migrateLatest } from '../../src/index.js';

const widgets: Knex.Migration = {
  up: (db) => db.schema.createTable('widgets', (t) => t.increments('id')),
  down: (db) => db.schema.dropTable('widgets'),
};
const gadgets: Knex.Migration = {
  up: (db) => db.schema.createTable('gadgets', (t) => t.increments('id')),
  down: (db) => db.schema.dropTable('gadgets'),
};

describe('migrateLatest', () => {
  const open: Knex[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.destroy()));
  });

  it('when migrations run, then they are recorded by name without a file extension, in name order', async () => {
    const db = createDatabase({ url: await createTestDatabase('migrate') });
    open.push(db);
    await migrateLatest(db, { '002_gadgets': gadgets, '001_widgets': widgets });
    const rows = await db('knex_migrations').orderBy('id').pluck('name');
    expect(rows).to.deep.equal(['001_widgets', '002_gadgets']);
    await migrateLatest(db, { '001_widgets': widgets, '002_gadgets': gadgets });
    expect(await db('knex_migrations').count({ n: '*' }).first()).to.deep.equal({ n: '2' });
  });

  it('when three replicas migrate a fresh database at once, then all start and each migration ran once', async () => {
    // Unserialised, the race ends in several ways depending on timing (42P07, 23505, 42710, or
    // two rows in knex's lock table, which leaves it locked for ever): race on several fresh
    // databases to meet more than one of them.
    for (let round = 0; round < 10; round++) {
      const url = await createTestDatabase('migrate_race');
      const replicas = [1, 2, 3].map(() => createDatabase({ url }));
      open.push(...replicas);
      await Promise.all(
        replicas.map((db) =>
          // A loaded machine can hold the lock for seconds: wait up to 20 s, as replicas would.
          migrateLatest(
            db,
            { '001_widgets': widgets, '002_gadgets': gadgets },
            { retryDelayMs: 50, attempts: 400 },
          ),
        ),
      );
      const names = await replicas[0]('knex_migrations').orderBy('id').pluck('name');
      expect(names).to.deep.equal(['001_widgets', '002_gadgets']);
      expect(await replicas[0]('knex_migrations_lock').pluck('is_locked')).to.deep.equal([0]);
    }
  });

  it("when another migrator holds knex's lock, then migrating waits for it and then runs", async () => {
    const db = createDatabase({ url: await createTestDatabase('migrate_held') });
    open.push(db);
    await migrateLatest(db, { '001_widgets': widgets });
    await db('knex_migrations_lock').update({ is_locked: 1 });
    const released = new Promise((resolve) => setTimeout(resolve, 400)).then(() =>
      db('knex_migrations_lock').update({ is_locked: 0 }),
    );
    await migrateLatest(db, { '001_widgets': widgets, '002_gadgets': gadgets }, { retryDelayMs: 50 });
    await released;
    expect(await db.schema.hasTable('gadgets')).to.equal(true);
  });

  it('when a migration fails for its own reason, then the error surfaces without retrying', async () => {
    const db = createDatabase({ url: await createTestDatabase('migrate_fail') });
    open.push(db);
    const broken: Knex.Migration = { up: (k) => k.raw('select * from no_such_table'), down: async () => {} };
    let message = '';
    await migrateLatest(db, { '001_broken': broken }).catch((e: Error) => (message = e.message));
    expect(message).to.include('no_such_table');
  });
});
