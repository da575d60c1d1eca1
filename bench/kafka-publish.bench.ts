// Direct Kafka bus publish, no outbox: the ceiling the outbox relay is measured against.
import { performance } from 'node:perf_hooks';
import type { EventBus } from '@cartwheel/kit';
import { uniqueName } from '@cartwheel/testing';
import { type BenchResult, sampleEvents } from './outbox-relay.bench.js';

/** Publishes `count` events in awaited batches of `batchSize` (acks=all), one batch at a time like the relay. */
export async function benchKafkaPublish(bus: EventBus, count: number, batchSize = 500): Promise<BenchResult> {
  const topic = uniqueName('bench_direct');
  await bus.ensureTopics([topic]);
  await bus.publish(topic, sampleEvents(1));
  const events = sampleEvents(count);
  const start = performance.now();
  for (let i = 0; i < events.length; i += batchSize) await bus.publish(topic, events.slice(i, i + batchSize));
  return {
    scenario: 'Kafka bus publish, no outbox (ceiling)',
    events: count,
    seconds: (performance.now() - start) / 1000,
    note: `batches of ${batchSize}`,
  };
}
