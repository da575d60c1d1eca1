// One contract for the outbox, run against both storage adapters (PostgreSQL server, PGlite),
// with the real Kafka bus on the harness's broker.
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { eventually, testServers, uniqueName, withKafkaStopped } from '@cartwheel/testing';
import type { Knex } from '../../src/db/knex.js';
import { databaseAdapters, metricValue } from '../support/databases.js';
import { createEvent } from '../../src/events/envelope.js';
import { createKafkaBus } from '../../src/events/kafka-bus.js';
import type { EventBus } from '../../src/events/types.js';
import {
  countUnpublished,
  enqueueEvents,
  ensureOutboxTable,
  startOutboxRelay,
  type OutboxRelay,
} from '../../src/outbox/index.js';
import { countRecords, readTopic, sequencesByKey } from './kafka-topic.js';

/** `count` events spread over `keys` aggregates; `seq` numbers each key's events from 0. */
function orderEvents(count: number, keys: number, prefix: string) {
  return Array.from({ length: count }, (_, i) =>
    createEvent({
      source: '/test/outbox',
      type: 'order.placed',
      subject: `${prefix}-${i % keys}`,
      data: { seq: Math.floor(i / keys) },
    }),
  );
}

/** A series' value, 0 while the relay has not reported it yet. */
const metric = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number> =>
  (await metricValue(registry, name, labels)) ?? 0;

for (const adapter of databaseAdapters('outbox')) {
  describe(`outbox relay contract — ${adapter.name}`, function () {
    let db: Knex;
    let bus: EventBus;
    let table: string;
    let business: string;
    let topic: string;
    let relay: OutboxRelay | undefined;
    const brokers = () => testServers().kafkaBrokers;

    before(async function () {
      db = await adapter.open();
    });
    after(async function () {
      await db?.destroy();
    });
    beforeEach(async function () {
      table = uniqueName('outbox');
      business = uniqueName('orders');
      topic = uniqueName('orders');
      bus = createKafkaBus({ brokers: brokers(), clientId: uniqueName('outbox-test') });
      await ensureOutboxTable(db, table);
      await db.schema.createTable(business, (t) => {
        t.text('id').primary();
        t.integer('total').notNullable();
      });
      await bus.ensureTopics([topic]);
    });
    afterEach(async function () {
      await relay?.stop();
      relay = undefined;
      await bus.close();
    });

    it('when the business transaction rolls back, then its events are never published', async function () {
      // Arrange
      relay = startOutboxRelay({ db, bus, table, pollIntervalMs: 50 });
      const [doomed, sentinel] = orderEvents(2, 2, 'order');

      // Act
      const failed = await db
        .transaction(async (trx) => {
          await trx(business).insert({ id: doomed.subject, total: 10 });
          await enqueueEvents(trx, topic, [doomed], table);
          throw new Error('payment declined');
        })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      await db.transaction(async (trx) => {
        await trx(business).insert({ id: sentinel.subject, total: 20 });
        await enqueueEvents(trx, topic, [sentinel], table);
      });
      relay.notify();
      await eventually(
        'the sentinel event is published',
        async () => (await countUnpublished(db, table)) === 0,
      );
      await relay.drain();

      // Assert
      expect(failed?.message).to.equal('payment declined');
      expect(await db(business).pluck('id')).to.deep.equal([sentinel.subject]);
      expect(await countRecords(brokers(), topic)).to.equal(1);
      const [only] = await readTopic(brokers(), topic, 1);
      expect(only.event.id).to.equal(sentinel.id);
      expect(only.key).to.equal(sentinel.subject);
    });

    it('when the relay publishes, then every event reaches the topic once, keyed by subject, in per-key order', async function () {
      // Arrange
      const registry = new Registry();
      const events = orderEvents(1200, 7, 'order');
      await db.transaction((trx) => enqueueEvents(trx, topic, events, table));

      // Act
      relay = startOutboxRelay({ db, bus, table, batchSize: 100, registry });
      await eventually('the backlog is empty', async () => (await countUnpublished(db, table)) === 0);
      await relay.drain();

      // Assert
      expect(await countRecords(brokers(), topic)).to.equal(events.length);
      const messages = await readTopic(brokers(), topic, events.length);
      expect(new Set(messages.map((m) => m.event.id)).size).to.equal(events.length);
      for (const message of messages) expect(message.key).to.equal(message.event.subject);
      for (const [, seqs] of sequencesByKey(messages)) expect(seqs).to.deep.equal(seqs.map((_, i) => i));
      expect(await metric(registry, 'outbox_backlog', { table })).to.equal(0);
      expect(await metric(registry, 'outbox_published_total', { table, topic })).to.equal(events.length);
    });

    it('when the broker is down, then writes commit, nothing is marked published, and once it is back every event is published exactly once in per-key order', async function () {
      this.timeout(180_000);
      // Arrange
      const registry = new Registry();
      const events = orderEvents(300, 5, 'order');
      relay = startOutboxRelay({
        db,
        bus,
        table,
        batchSize: 100,
        registry,
        pollIntervalMs: 50,
        maxBackoffMs: 1000,
      });
      let duringOutage = { unpublished: -1, gauge: -1, failures: -1, businessRows: -1 };

      // Act
      await withKafkaStopped(async () => {
        for (let i = 0; i < events.length; i += 30) {
          await db.transaction(async (trx) => {
            await trx(business).insert({ id: `batch-${i}`, total: i });
            await enqueueEvents(trx, topic, events.slice(i, i + 30), table);
          });
          relay?.notify();
        }
        await eventually(
          'the relay failed to publish and reported the backlog',
          async () =>
            (await metric(registry, 'outbox_publish_failures_total', { table })) >= 1 &&
            (await metric(registry, 'outbox_backlog', { table })) === events.length,
          90_000,
        );
        duringOutage = {
          unpublished: await countUnpublished(db, table),
          gauge: await metric(registry, 'outbox_backlog', { table }),
          failures: await metric(registry, 'outbox_publish_failures_total', { table }),
          businessRows: Number((await db(business).count<{ n: string }[]>('* as n'))[0].n),
        };
      });
      await eventually('the backlog is empty', async () => (await countUnpublished(db, table)) === 0, 90_000);
      await eventually(
        'the gauge reports an empty backlog',
        async () => (await metric(registry, 'outbox_backlog', { table })) === 0,
      );

      // Assert
      expect(duringOutage.businessRows).to.equal(events.length / 30);
      expect(duringOutage.unpublished).to.equal(events.length);
      expect(duringOutage.gauge).to.equal(events.length);
      expect(duringOutage.failures).to.be.at.least(1);
      const failed = await db(table).where('attempts', '>', 0).count<{ n: string }[]>('* as n');
      expect(Number(failed[0].n)).to.be.greaterThan(0);
      expect(await countRecords(brokers(), topic)).to.equal(events.length);
      const messages = await readTopic(brokers(), topic, events.length);
      expect(new Set(messages.map((m) => m.event.id)).size).to.equal(events.length);
      for (const [, seqs] of sequencesByKey(messages)) expect(seqs).to.deep.equal(seqs.map((_, i) => i));
    });
  });
}
