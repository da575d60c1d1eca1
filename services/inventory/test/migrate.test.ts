import { createDatabase, type Knex } from '@cartwheel/kit';
import { createDatabase as createTestDatabase } from '@cartwheel/testing';
import { expect } from 'chai';
import { migrate } from '../src/index.js';

describe('migrate — PostgreSQL server', function () {
  let replicas: Knex[] = [];
  afterEach(async function () {
    await Promise.all(replicas.map((db) => db.destroy()));
    replicas = [];
  });

  it('when three replicas migrate a fresh database at once, then all start and each migration ran once', async function () {
    const url = await createTestDatabase('inventory_migrate');
    replicas = [1, 2, 3].map(() => createDatabase({ url, poolMax: 2 }));

    await Promise.all(replicas.map((db) => migrate(db)));

    const ran = await replicas[0]('knex_migrations').select('name').orderBy('id');
    expect(ran.map((row) => row.name)).to.deep.equal([
      '20250601000000_create_inventory',
      '20250601000100_create_outbox_and_processed_events',
    ]);
    expect(await replicas[0].schema.hasTable('reservations')).to.equal(true);
  });

  it('when a migrated database is migrated again, then nothing runs twice', async function () {
    const url = await createTestDatabase('inventory_migrate');
    replicas = [createDatabase({ url })];

    await migrate(replicas[0]);
    await migrate(replicas[0]);

    expect(await replicas[0]('knex_migrations').count('* as n')).to.deep.equal([{ n: '2' }]);
  });
});
