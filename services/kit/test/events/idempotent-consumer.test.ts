import { expect } from 'chai';
import type { Knex } from '../../src/db/knex.js';
import { databaseAdapters } from '../support/databases.js';
import {
  createEvent,
  ensureProcessedEventsTable,
  idempotent,
  type Delivery,
} from '../../src/events/index.js';

const delivery: Delivery = { topic: 't', partition: 0, offset: '0', headers: {}, attempt: 1 };
const newEvent = () =>
  createEvent({ source: 's', type: 'stock.updated', subject: 'p-1', data: { delta: 1 } });

function idempotentConsumerSuite(name: string, makeDb: () => Promise<Knex>): void {
  describe(`idempotent (${name})`, function () {
    this.timeout(30_000);
    let db: Knex;
    const stock = () =>
      db('stock')
        .first('quantity')
        .then((row) => Number(row.quantity));
    const addOne = (consumer: string) =>
      idempotent(db, consumer, async (_event, _delivery, trx) => {
        await trx('stock').increment('quantity', 1);
      });

    before(async () => {
      db = await makeDb();
      await ensureProcessedEventsTable(db);
      await ensureProcessedEventsTable(db); // safe at every start
      await db.schema.createTable('stock', (table) => table.integer('quantity').notNullable());
    });
    beforeEach(async () => {
      await db('stock').del();
      await db('stock').insert({ quantity: 0 });
    });
    after(() => db?.destroy());

    it('when the same event is delivered twice, then its effect is applied once', async () => {
      const handler = addOne('inventory.stock');
      const event = newEvent();
      await handler(event, delivery);
      await handler(event, { ...delivery, attempt: 2 });
      expect(await stock()).to.equal(1);
    });

    it('when two different consumers get the same event, then each applies it', async () => {
      const event = newEvent();
      await addOne('consumer-a')(event, delivery);
      await addOne('consumer-b')(event, delivery);
      expect(await stock()).to.equal(2);
    });

    it('when the handler throws, then nothing is recorded and the retry applies the effect', async () => {
      const event = newEvent();
      let fail = true;
      const handler = idempotent(db, 'flaky', async (_event, _delivery, trx) => {
        await trx('stock').increment('quantity', 1);
        if (fail) throw new Error('boom');
      });
      let error: unknown;
      await handler(event, delivery).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(Error);
      expect(await stock()).to.equal(0);
      fail = false;
      await handler(event, delivery);
      expect(await stock()).to.equal(1);
    });

    it('when the same event is delivered concurrently, then its effect is applied once', async () => {
      const handler = addOne('concurrent');
      const event = newEvent();
      await Promise.all(Array.from({ length: 5 }, () => handler(event, delivery)));
      expect(await stock()).to.equal(1);
    });
  });
}

for (const adapter of databaseAdapters('idem')) idempotentConsumerSuite(adapter.name, adapter.open);
