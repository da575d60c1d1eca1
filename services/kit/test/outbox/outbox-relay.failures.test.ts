// Publish failures that are not outages, on both storage adapters, with the embedded bus: it
// rejects a publish to a topic that does not exist yet, which makes one topic of a batch fail.
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { eventually, uniqueName } from '@cartwheel/testing';
import type { Knex } from '../../src/db/knex.js';
import { databaseAdapters, metricValue } from '../support/databases.js';
import { createEmbeddedBus } from '../../src/events/embedded-bus.js';
import { createEvent } from '../../src/events/envelope.js';
import type { CloudEvent, EventBus } from '../../src/events/types.js';
import {
  countUnpublished,
  enqueueEvents,
  ensureOutboxTable,
  startOutboxRelay,
  type OutboxRelay,
} from '../../src/outbox/index.js';

const events = (count: number, subject: string) =>
  Array.from({ length: count }, (_, seq) =>
    createEvent({ source: '/test/outbox', type: 'x.happened', subject, data: { seq } }),
  );

for (const adapter of databaseAdapters('outbox_fail')) {
  describe(`outbox relay failures — ${adapter.name}`, function () {
    let db: Knex;
    let bus: EventBus;
    let table: string;
    let relay: OutboxRelay | undefined;

    before(async function () {
      db = await adapter.open();
    });
    after(async function () {
      await db?.destroy();
    });
    beforeEach(async function () {
      table = uniqueName('outbox');
      bus = createEmbeddedBus();
      await ensureOutboxTable(db, table);
    });
    afterEach(async function () {
      await relay?.stop();
      relay = undefined;
      await bus.close();
    });

    it('when one topic of a batch cannot be published, then the other is marked published and the failed events stay unpublished with the error recorded', async function () {
      // Arrange
      const registry = new Registry();
      const [good, bad] = [uniqueName('good'), uniqueName('missing')];
      await bus.ensureTopics([good]);
      await db.transaction(async (trx) => {
        await enqueueEvents(trx, good, events(5, 'a'), table);
        await enqueueEvents(trx, bad, events(3, 'b'), table);
      });

      // Act
      relay = startOutboxRelay({ db, bus, table, registry, initialBackoffMs: 20, maxBackoffMs: 50 });
      await eventually('the good topic is published', async () => (await countUnpublished(db, table)) === 3);
      await eventually(
        'the gauge reports the backlog',
        async () => (await metricValue(registry, 'outbox_backlog', { table })) === 3,
      );
      const stuck = await db(table).whereNull('published_at').select('topic', 'attempts', 'last_error');

      // Assert
      expect(stuck.map((row) => row.topic)).to.deep.equal([bad, bad, bad]);
      for (const row of stuck) {
        expect(row.attempts).to.be.at.least(1);
        expect(row.last_error).to.contain(`Unknown topic "${bad}"`);
      }
    });

    it('when a failed topic becomes publishable, then its events are published in order and the backlog reaches 0', async function () {
      // Arrange
      const registry = new Registry();
      const topic = uniqueName('late');
      const received: CloudEvent[] = [];
      await db.transaction((trx) => enqueueEvents(trx, topic, events(20, 'k'), table));
      relay = startOutboxRelay({
        db,
        bus,
        table,
        registry,
        batchSize: 7,
        initialBackoffMs: 20,
        maxBackoffMs: 50,
      });
      await eventually(
        'a publish failed',
        async () => Number((await db(table).max('attempts as m'))[0].m) >= 1,
      );

      // Act
      await bus.ensureTopics([topic]);
      await bus.subscribe({
        groupId: 'g',
        topics: [topic],
        handler: async (event) => void received.push(event),
      });
      await eventually('the backlog is empty', async () => (await countUnpublished(db, table)) === 0);
      await eventually('every event is consumed', async () => received.length >= 20);

      // Assert
      expect(received.map((event) => (event.data as { seq: number }).seq)).to.deep.equal([
        ...Array(20).keys(),
      ]);
      await eventually(
        'the gauge reports 0',
        async () => (await metricValue(registry, 'outbox_backlog', { table })) === 0,
      );
    });

    it('when drain is called, then it publishes everything waiting and says how many', async function () {
      // Arrange
      const topic = uniqueName('drained');
      await bus.ensureTopics([topic]);
      relay = startOutboxRelay({ db, bus, table, pollIntervalMs: 60_000 });
      await relay.drain();
      await db.transaction((trx) => enqueueEvents(trx, topic, events(42, 'd'), table));

      // Act
      const published = await relay.drain();

      // Assert
      expect(published).to.equal(42);
      expect(await countUnpublished(db, table)).to.equal(0);
    });
  });
}
