import { expect } from 'chai';
import { z } from 'zod';
import { createDatabase as createTestDatabase, freePort, uniqueName } from '@cartwheel/testing';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import {
  createEvent,
  DLQ_HEADERS,
  dlqTopic,
  ensureProcessedEventsTable,
  idempotent,
  parseEventData,
  type CloudEvent,
  type Delivery,
  type EventBus,
} from '../../src/events/index.js';
import { eventually } from '@cartwheel/testing';
import { deferred } from './helpers.js';

const event = (subject: string, data: Record<string, unknown>): CloudEvent =>
  createEvent({ source: '/test', type: 'test.happened', subject, data });

/**
 * The one contract every EventBus adapter passes (STYLE §11). `makeBus` gives a bus on a
 * shared transport; each test makes its own topics and groups.
 */
export function eventBusContract(name: string, makeBus: () => EventBus | Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, function () {
    this.timeout(60_000);
    let bus: EventBus;
    let db: Knex;

    before(async () => {
      bus = await makeBus();
      db = createDatabase({ url: await createTestDatabase('events') });
      await ensureProcessedEventsTable(db);
      await db.schema.createTable('applied', (table) => {
        table.text('event_id').primary();
        table.integer('count').notNullable();
      });
    });

    after(async () => {
      await bus?.close();
      await db?.destroy();
    });

    /** Subscribes a fresh group to `<topic>.dlq`: what is parked there, and how to stop watching. */
    async function watchDlq(topic: string) {
      const parked: Array<{ event: CloudEvent; delivery: Delivery }> = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('dlq'),
        topics: [dlqTopic(topic)],
        handler: async (e, delivery) => void parked.push({ event: e, delivery }),
      });
      return { parked, stop: () => subscription.stop() };
    }

    it('when 50 events are published across 5 keys, then each key’s events arrive in publish order', async () => {
      const topic = uniqueName('order');
      await bus.ensureTopics([topic]);
      const received: Array<{ key: string; seq: number }> = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        handler: async (e) => {
          received.push({ key: e.subject, seq: (e.data as { seq: number }).seq });
        },
      });
      const keys = ['a', 'b', 'c', 'd', 'e'];
      // Several publish calls, each mixing keys, so order must hold across calls and within one.
      for (let seq = 0; seq < 10; seq++)
        await bus.publish(
          topic,
          keys.map((key) => event(key, { seq })),
        );

      await eventually('50 events arrived', () => received.length >= 50);
      await subscription.stop();
      for (const key of keys) {
        expect(
          received.filter((r) => r.key === key).map((r) => r.seq),
          `key ${key}`,
        ).to.deep.equal([...Array(10).keys()]);
      }
      expect(received).to.have.length(50);
    });

    it('when two consumer groups subscribe to a topic, then each receives every event', async () => {
      const topic = uniqueName('groups');
      await bus.ensureTopics([topic]);
      const seen = { one: new Set<string>(), two: new Set<string>() };
      const subscriptions = await Promise.all(
        (['one', 'two'] as const).map((group) =>
          bus.subscribe({
            groupId: uniqueName(group),
            topics: [topic],
            handler: async (e) => void seen[group].add(e.id),
          }),
        ),
      );
      const events = Array.from({ length: 20 }, (_, i) => event(`k${i % 4}`, { i }));
      await bus.publish(topic, events);

      await eventually('both groups saw 20 events', () => seen.one.size === 20 && seen.two.size === 20);
      await Promise.all(subscriptions.map((s) => s.stop()));
      const ids = events.map((e) => e.id).sort();
      expect([...seen.one].sort()).to.deep.equal(ids);
      expect([...seen.two].sort()).to.deep.equal(ids);
    });

    it('when a group already consumes one topic set, then subscribing it to another set is refused until the first stops', async () => {
      const [a, b] = [uniqueName('set_a'), uniqueName('set_b')];
      await bus.ensureTopics([a, b]);
      const groupId = uniqueName('split');
      const first = await bus.subscribe({ groupId, topics: [a], handler: async () => {} });
      let message = '';
      await bus
        .subscribe({ groupId, topics: [b], handler: async () => {} })
        .catch((e: Error) => (message = e.message));
      expect(message).to.include(`Consumer group "${groupId}" already consumes`);
      await first.stop();
      const second = await bus.subscribe({ groupId, topics: [b, a], handler: async () => {} });
      await second.stop();
    });

    it('when two members share a group, then they split the events and each event is handled by one of them', async () => {
      const topic = uniqueName('share');
      const groupId = uniqueName('g');
      await bus.ensureTopics([topic]);
      const seen = [new Array<string>(), new Array<string>()];
      const members = [];
      for (const ids of seen) {
        members.push(
          await bus.subscribe({ groupId, topics: [topic], handler: async (e) => void ids.push(e.id) }),
        );
      }
      const events = Array.from({ length: 30 }, (_, i) => event(`key-${i}`, { i }));
      await bus.publish(topic, events);

      await eventually('30 events handled', () => seen[0].length + seen[1].length >= 30);
      await Promise.all(members.map((m) => m.stop()));
      expect(seen[0], 'first member got none').to.have.length.above(0);
      expect(seen[1], 'second member got none').to.have.length.above(0);
      expect([...seen[0], ...seen[1]].sort()).to.deep.equal(events.map((e) => e.id).sort());
    });

    it('when stop is called with a handler in flight, then it waits for the handler and commits that event', async () => {
      const topic = uniqueName('drain');
      const groupId = uniqueName('g');
      await bus.ensureTopics([topic]);
      const started = deferred();
      const release = deferred();
      const first = await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async () => {
          started.resolve();
          await release.promise;
        },
      });
      const inFlight = event('k', { n: 1 });
      await bus.publish(topic, [inFlight]);
      await started.promise;

      let stopped = false;
      const stopping = first.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped, 'stop resolved before the handler finished').to.equal(false);
      release.resolve();
      await stopping;

      const later = event('k', { n: 2 });
      const seenBySecond: string[] = [];
      const second = await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (e) => void seenBySecond.push(e.id),
      });
      await bus.publish(topic, [later]);
      await eventually('the later event arrived', () => seenBySecond.includes(later.id));
      await second.stop();
      expect(seenBySecond).to.deep.equal([later.id]);
    });

    it('when a consumer is killed with an applied but uncommitted event in hand, then a new member of the group redelivers it and every event is applied exactly once', async () => {
      const topic = uniqueName('kill');
      const groupId = uniqueName('g');
      await bus.ensureTopics([topic]);
      const apply = idempotent(db, groupId, async (e, _delivery, trx) => {
        await trx.raw(
          'insert into applied (event_id, count) values (?, 1) on conflict (event_id) do update set count = applied.count + 1',
          [e.id],
        );
      });
      const events = Array.from({ length: 20 }, (_, i) => event(`k${i % 4}`, { i }));
      await bus.publish(topic, events);

      const inHand = deferred<string>();
      const crash = deferred();
      let handledByFirst = 0;
      const first = await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (e, delivery) => {
          await apply(e, delivery);
          if (++handledByFirst === 8) {
            // The effect is committed in the database; the process dies before the offset is.
            inHand.resolve(e.id);
            await crash.promise;
            throw new Error('process killed');
          }
        },
      });
      const killedId = await inHand.promise;
      const stopping = first.stop();
      crash.resolve();
      await stopping;

      const deliveredToSecond: string[] = [];
      const second = await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (e, delivery) => {
          deliveredToSecond.push(e.id);
          await apply(e, delivery);
        },
      });
      const countApplied = async () => Number((await db('applied').count({ n: '*' }))[0].n);
      await eventually('all 20 events applied', async () => (await countApplied()) === 20);
      await eventually('the killed event was redelivered', () => deliveredToSecond.includes(killedId));
      await second.stop();

      const rows = await db('applied').select('event_id', 'count');
      expect(rows.map((r) => r.event_id).sort()).to.deep.equal(events.map((e) => e.id).sort());
      expect(
        rows.filter((r) => r.count !== 1),
        'events applied more than once',
      ).to.deep.equal([]);
    });

    it('when a handler always throws, then the event lands in <topic>.dlq after 1 + maxRetries attempts and later events still flow', async () => {
      const topic = uniqueName('poison');
      await bus.ensureTopics([topic]);
      const attempts: number[] = [];
      const handled: number[] = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        maxRetries: 2,
        retryBackoffMs: 20,
        handler: async (e, delivery) => {
          const { i, poison } = e.data as { i: number; poison?: boolean };
          if (poison) {
            attempts.push(delivery.attempt);
            throw new Error('cannot handle this one');
          }
          handled.push(i);
        },
      });
      const dlq = await watchDlq(topic);
      const { parked } = dlq;
      // Same key: the good events sit behind the poison one in the same partition.
      const poison = event('same', { i: 0, poison: true });
      await bus.publish(topic, [poison, event('same', { i: 1 }), event('same', { i: 2 })]);

      await eventually(
        'later events handled and the poison one parked',
        () => handled.length === 2 && parked.length === 1,
      );
      await Promise.all([subscription.stop(), dlq.stop()]);
      expect(attempts).to.deep.equal([1, 2, 3]);
      expect(handled).to.deep.equal([1, 2]);
      const [{ event: dead, delivery }] = parked;
      expect(dead).to.deep.equal(poison);
      expect(delivery.headers[DLQ_HEADERS.attempts]).to.equal('3');
      expect(delivery.headers[DLQ_HEADERS.originalTopic]).to.equal(topic);
      expect(delivery.headers[DLQ_HEADERS.reason]).to.equal('cannot handle this one');
    });

    it('when a handler fails because its database is unreachable, then the event waits past maxRetries instead of the DLQ and is applied once the database is back', async () => {
      // Every query there fails with a real ECONNREFUSED.
      const unreachable = createDatabase({
        url: `postgres://nobody@127.0.0.1:${await freePort()}/nothing`,
      });
      const topic = uniqueName('outage');
      await bus.ensureTopics([topic]);
      const attempts: number[] = [];
      const handled: number[] = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        maxRetries: 1,
        retryBackoffMs: 10,
        handler: async (e, delivery) => {
          const { i } = e.data as { i: number };
          if (i === 0) {
            attempts.push(delivery.attempt);
            // Down for five attempts, three more than maxRetries allows a poison message.
            const target = delivery.attempt <= 5 ? unreachable : db;
            await target('applied').insert({ event_id: e.id, count: 1 });
          }
          handled.push(i);
        },
      });
      const dlq = await watchDlq(topic);
      try {
        const first = event('same', { i: 0 });
        await bus.publish(topic, [first, event('same', { i: 1 })]);
        await eventually('both events handled', () => handled.length === 2);
        expect(attempts).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(handled).to.deep.equal([0, 1]);
        expect(await db('applied').where({ event_id: first.id })).to.have.length(1);
        expect(dlq.parked).to.deep.equal([]);
      } finally {
        await Promise.all([subscription.stop(), dlq.stop()]);
        await unreachable.destroy();
      }
    });

    it('when a handler finds the event data malformed, then the event is parked after one attempt, naming the bad field', async () => {
      const topic = uniqueName('malformed');
      await bus.ensureTopics([topic]);
      const attempts: number[] = [];
      const subscription = await bus.subscribe({
        groupId: uniqueName('g'),
        topics: [topic],
        maxRetries: 3,
        retryBackoffMs: 10,
        handler: async (e, delivery) => {
          attempts.push(delivery.attempt);
          parseEventData(z.object({ quantity: z.number().int() }), e);
        },
      });
      const dlq = await watchDlq(topic);
      try {
        await bus.publish(topic, [event('k', { quantity: 'two' })]);
        await eventually('the event parked', () => dlq.parked.length === 1);
        expect(attempts).to.deep.equal([1]);
        const [{ delivery }] = dlq.parked;
        expect(delivery.headers[DLQ_HEADERS.attempts]).to.equal('1');
        expect(delivery.headers[DLQ_HEADERS.reason]).to.match(/has malformed data: quantity: /);
      } finally {
        await Promise.all([subscription.stop(), dlq.stop()]);
      }
    });
  });
}
