// Several replicas of a service each run a relay on the same outbox table. Only meaningful on a
// PostgreSQL server: PGlite has one connection in one process, so it never has a second relay
// on another connection (two relays in one process on PGlite are serialised by the relay itself).
import { expect } from 'chai';
import { Registry } from 'prom-client';
import {
  createDatabase as createTestDatabase,
  eventually,
  testServers,
  uniqueName,
} from '@cartwheel/testing';
import { createDatabase, type Knex } from '../../src/db/knex.js';
import { createEvent } from '../../src/events/envelope.js';
import { createKafkaBus } from '../../src/events/kafka-bus.js';
import type { EventBus } from '../../src/events/types.js';
import {
  countUnpublished,
  enqueueEvents,
  ensureOutboxTable,
  startOutboxRelay,
} from '../../src/outbox/index.js';
import { countRecords, readTopic } from './kafka-topic.js';

describe('outbox relay replicas — PostgreSQL server', function () {
  let url: string;
  const opened: Knex[] = [];
  const buses: EventBus[] = [];
  const brokers = () => testServers().kafkaBrokers;

  before(async function () {
    url = await createTestDatabase('outbox_replicas');
  });
  afterEach(async function () {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await Promise.all(opened.splice(0).map((db) => db.destroy()));
  });

  /** One replica: its own pool and its own producer, like a separate pod. */
  function replica(): { db: Knex; bus: EventBus } {
    const db = createDatabase({ url, poolMax: 3 });
    const bus = createKafkaBus({ brokers: brokers(), clientId: uniqueName('replica') });
    opened.push(db);
    buses.push(bus);
    return { db, bus };
  }

  it('when two relays run against the same table, then each event is published exactly once', async function () {
    // Arrange
    const table = uniqueName('outbox');
    const topic = uniqueName('orders');
    const [a, b] = [replica(), replica()];
    await ensureOutboxTable(a.db, table);
    await a.bus.ensureTopics([topic]);
    const events = Array.from({ length: 3000 }, (_, i) =>
      createEvent({
        source: '/test/outbox',
        type: 'order.placed',
        subject: `order-${i % 50}`,
        data: { seq: i },
      }),
    );
    await a.db.transaction((trx) => enqueueEvents(trx, topic, events, table));
    const [registryA, registryB] = [new Registry(), new Registry()];

    // Act: small batches, so the two relays contend for rows many times over.
    const relays = [
      startOutboxRelay({ ...a, table, batchSize: 50, registry: registryA }),
      startOutboxRelay({ ...b, table, batchSize: 50, registry: registryB }),
    ];
    await eventually('the backlog is empty', async () => (await countUnpublished(a.db, table)) === 0, 60_000);
    await Promise.all(relays.map((relay) => relay.stop()));

    // Assert
    expect(await countRecords(brokers(), topic)).to.equal(events.length);
    const messages = await readTopic(brokers(), topic, events.length);
    expect(new Set(messages.map((m) => m.event.id)).size).to.equal(events.length);
    const published = await Promise.all(
      [registryA, registryB].map(async (registry) => {
        const metric = await registry.getSingleMetric('outbox_published_total')?.get();
        return metric?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;
      }),
    );
    expect(published[0] + published[1]).to.equal(events.length);
  });
});
