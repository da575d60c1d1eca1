// outbox_oldest_unpublished_age_seconds on both storage adapters. The embedded bus rejects a
// publish to a topic that does not exist yet: the events wait, as in a broker outage.
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { Knex } from '../../src/db/knex.js';
import { createEmbeddedBus } from '../../src/events/embedded-bus.js';
import { createEvent } from '../../src/events/envelope.js';
import type { EventBus } from '../../src/events/types.js';
import {
  enqueueEvents,
  ensureOutboxTable,
  startOutboxRelay,
  type OutboxRelay,
} from '../../src/outbox/index.js';
import { databaseAdapters, metricValue } from '../support/databases.js';

for (const adapter of databaseAdapters('outbox_age')) {
  describe(`outbox age — ${adapter.name}`, function () {
    // PGlite boots on the first query: tens of seconds on a busy machine.
    this.timeout(90_000);
    let db: Knex;
    let bus: EventBus;
    let relay: OutboxRelay | undefined;

    before(async () => (db = await adapter.open()));
    after(async () => {
      await relay?.stop();
      await bus?.close();
      await db?.destroy();
    });

    it('when events wait in the outbox, then outbox_oldest_unpublished_age_seconds reports the oldest one’s age, and 0 once they are published', async () => {
      const table = uniqueName('outbox');
      const topic = uniqueName('late');
      const registry = new Registry();
      bus = createEmbeddedBus();
      await ensureOutboxTable(db, table);
      await db.transaction((trx) =>
        enqueueEvents(
          trx,
          topic,
          [createEvent({ source: 't', type: 'x.waited', subject: 'k', data: {} })],
          table,
        ),
      );
      // Written an hour ago, as far as the outbox knows.
      await db(table).update({ created_at: db.raw("now() - interval '1 hour'") });
      const age = () => metricValue(registry, 'outbox_oldest_unpublished_age_seconds', { table });

      relay = startOutboxRelay({ db, bus, table, registry, initialBackoffMs: 20, maxBackoffMs: 50 });
      await eventually('the relay to report the waiting event', async () => ((await age()) ?? 0) >= 3600);
      expect(await age()).to.be.below(3600 + 600);
      expect(await metricValue(registry, 'outbox_backlog', { table })).to.equal(1);

      await bus.ensureTopics([topic]);
      await eventually('the event published and the age back to 0', async () => (await age()) === 0);
      expect(await metricValue(registry, 'outbox_backlog', { table })).to.equal(0);
    });
  });
}
