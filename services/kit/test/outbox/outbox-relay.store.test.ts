// The relay drives any OutboxStore, not only the knex table: here a minimal in-memory store on the
// embedded bus, which rejects publishes to topics that do not exist (a failure that is not an outage).
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { eventually, uniqueName } from '@cartwheel/testing';
import { metricValue } from '../support/databases.js';
import { createEmbeddedBus } from '../../src/events/embedded-bus.js';
import { createEvent } from '../../src/events/envelope.js';
import type { CloudEvent, EventBus } from '../../src/events/types.js';
import {
  startOutboxRelay,
  type OutboxMessage,
  type OutboxRelay,
  type OutboxStore,
} from '../../src/outbox/index.js';

/** Pending messages in an array; a round claims the first `limit` and removes the acknowledged ones. */
function memoryStore(name: string) {
  const pending: OutboxMessage[] = [];
  const failures: Array<{ messages: OutboxMessage[]; error: unknown }> = [];
  const limits: number[] = [];
  const backlogReads: number[] = [];
  const store: OutboxStore = {
    name,
    async round(limit, publish) {
      limits.push(limit);
      const claimed = pending.slice(0, limit);
      const outcome = await publish(claimed);
      for (const message of outcome.acked) pending.splice(pending.indexOf(message), 1);
      return { ...outcome, claimed: claimed.length };
    },
    async recordFailure(messages, error) {
      failures.push({ messages, error });
    },
    countUnpublished: async () => {
      backlogReads.push(Date.now());
      return pending.length;
    },
  };
  return { store, pending, failures, limits, backlogReads };
}

const events = (count: number, subject: string) =>
  Array.from({ length: count }, (_, seq) =>
    createEvent({ source: '/test/outbox', type: 'x.happened', subject, data: { seq } }),
  );

describe('outbox relay on a custom store', function () {
  let bus: EventBus;
  let relay: OutboxRelay | undefined;

  beforeEach(function () {
    bus = createEmbeddedBus();
  });
  afterEach(async function () {
    await relay?.stop();
    relay = undefined;
    await bus.close();
  });

  it('when the store holds messages, then they are published in batches of batchSize, in order, and the backlog gauge uses the store name', async function () {
    // Arrange
    const registry = new Registry();
    const topic = uniqueName('custom');
    const name = uniqueName('documents.outbox');
    const { store, pending, limits } = memoryStore(name);
    const received: CloudEvent[] = [];
    await bus.ensureTopics([topic]);
    await bus.subscribe({
      groupId: 'g',
      topics: [topic],
      handler: async (event) => void received.push(event),
    });
    pending.push(...events(25, 'k').map((event) => ({ topic, event })));

    // Act
    relay = startOutboxRelay({ store, bus, registry, batchSize: 10 });
    await eventually('every event is consumed', () => received.length === 25);

    // Assert
    expect(received.map((event) => (event.data as { seq: number }).seq)).to.deep.equal([...Array(25).keys()]);
    expect(limits.every((limit) => limit === 10)).to.equal(true);
    expect(pending).to.deep.equal([]);
    await eventually(
      'the gauge reports 0',
      async () => (await metricValue(registry, 'outbox_backlog', { table: name })) === 0,
    );
    expect(await metricValue(registry, 'outbox_published_total', { table: name, topic })).to.equal(25);
  });

  it('when the relay is idle, then it polls at pollIntervalMs but re-reads the backlog only every backlogIntervalMs', async function () {
    // Arrange
    const registry = new Registry();
    const { store, limits, backlogReads } = memoryStore(uniqueName('documents.outbox'));

    // Act
    const started = Date.now();
    relay = startOutboxRelay({ store, bus, registry, pollIntervalMs: 10, backlogIntervalMs: 400 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await relay.stop();
    const elapsed = Date.now() - started;
    relay = undefined;

    // Assert: the first round reads it, then at most once per interval.
    expect(limits.length).to.be.greaterThan(backlogReads.length * 3);
    expect(backlogReads.length).to.be.within(1, Math.floor(elapsed / 400) + 1);
    const gaps = backlogReads.slice(1).map((at, i) => at - backlogReads[i]);
    expect(gaps.every((gap) => gap >= 400)).to.equal(true);
  });

  it('when a topic cannot be published, then the store is told which messages failed and why, and keeps them', async function () {
    // Arrange
    const registry = new Registry();
    const [good, missing] = [uniqueName('good'), uniqueName('missing')];
    const name = uniqueName('documents.outbox');
    const { store, pending, failures } = memoryStore(name);
    await bus.ensureTopics([good]);
    pending.push(
      ...events(2, 'a').map((event) => ({ topic: good, event })),
      ...events(3, 'b').map((event) => ({ topic: missing, event })),
    );

    // Act
    relay = startOutboxRelay({ store, bus, registry, initialBackoffMs: 20, maxBackoffMs: 50 });
    await eventually('a failure is recorded', () => failures.length >= 1);
    await relay.stop();
    relay = undefined;

    // Assert
    expect(pending.map((message) => message.topic)).to.deep.equal([missing, missing, missing]);
    expect(failures[0].messages.map((message) => message.event.subject)).to.deep.equal(['b', 'b', 'b']);
    expect(String(failures[0].error)).to.contain(`Unknown topic "${missing}"`);
    expect(await metricValue(registry, 'outbox_publish_failures_total', { table: name })).to.be.at.least(1);
  });
});
