// Outbox → bus relay throughput: fill an outbox table, start the relay, time until the last event
// is acknowledged by the bus and marked published.
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import {
  countUnpublished,
  createEvent,
  enqueueEvents,
  ensureOutboxTable,
  startOutboxRelay,
  type CloudEvent,
  type EventBus,
  type Knex,
} from '@cartwheel/kit';
import { uniqueName } from '@cartwheel/testing';

/** One line of the results table. */
export interface BenchResult {
  scenario: string;
  events: number;
  seconds: number;
  /** Extra figures shown next to the main one (e.g. how fast the outbox was filled). */
  note?: string;
}

export interface OutboxRelayBenchOptions {
  scenario: string;
  db: Knex;
  bus: EventBus;
  events: number;
  batchSize?: number;
}

/** An `order.placed` of a realistic size (~400 bytes as JSON), spread over 200 orders' keys. */
export function sampleEvents(count: number): CloudEvent[] {
  return Array.from({ length: count }, (_, i) =>
    createEvent({
      source: '/services/order',
      type: 'order.placed',
      subject: `order-${i % 200}`,
      data: {
        seq: i,
        userId: `user-${i % 977}`,
        items: [
          { productId: `p-${i % 31}`, quantity: 1 + (i % 3), unitPrice: '19.90' },
          { productId: `p-${i % 17}`, quantity: 2, unitPrice: '4.50' },
        ],
        total: '49.70',
        currency: 'EUR',
      },
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function publishedSoFar(registry: Registry, table: string): Promise<number> {
  const metric = await registry.getSingleMetric('outbox_published_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.table === table).reduce((sum, v) => sum + v.value, 0);
}

/**
 * Writes `events` events into a fresh outbox table (in transactions of 500, like a busy service
 * would over time), then starts a relay and measures how long it takes to publish them all.
 * Progress is read from the relay's own `outbox_published_total` counter, so the measurement
 * adds no queries of its own to the database.
 */
export async function benchOutboxRelay(options: OutboxRelayBenchOptions): Promise<BenchResult> {
  const { db, bus, scenario } = options;
  const table = uniqueName('bench_outbox');
  const topic = uniqueName('bench_orders');
  const warmup = uniqueName('bench_warmup');
  await ensureOutboxTable(db, table);
  await bus.ensureTopics([topic, warmup]);
  // Connects the producer and fetches metadata before the clock starts.
  await bus.publish(warmup, sampleEvents(1));

  const events = sampleEvents(options.events);
  const fillStart = performance.now();
  for (let i = 0; i < events.length; i += 500) {
    await db.transaction((trx) => enqueueEvents(trx, topic, events.slice(i, i + 500), table));
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;

  const registry = new Registry();
  const start = performance.now();
  const relay = startOutboxRelay({ db, bus, table, registry, batchSize: options.batchSize ?? 500 });
  while ((await publishedSoFar(registry, table)) < events.length) await sleep(5);
  const seconds = (performance.now() - start) / 1000;
  await relay.stop();

  const left = await countUnpublished(db, table);
  if (left !== 0) throw new Error(`${scenario}: ${left} events left unpublished`);
  return {
    scenario,
    events: events.length,
    seconds,
    note: `outbox filled at ${Math.round(events.length / fillSeconds)} events/s`,
  };
}
