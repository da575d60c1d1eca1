// Embedded (in-process) bus: publish → consume throughput through one consumer group.
import { performance } from 'node:perf_hooks';
import { createEmbeddedBus } from '@cartwheel/kit';
import { type BenchResult, sampleEvents } from './outbox-relay.bench.js';

/**
 * Publishes `count` events in batches of 500 while one consumer group (one member, so three
 * partition lanes) handles them with a no-op handler; the clock stops at the last delivery.
 */
export async function benchEmbeddedBus(count: number): Promise<BenchResult> {
  const bus = createEmbeddedBus();
  await bus.ensureTopics(['orders']);
  const events = sampleEvents(count);
  let consumed = 0;
  let allConsumed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allConsumed = resolve));
  const subscription = await bus.subscribe({
    groupId: 'bench',
    topics: ['orders'],
    handler: async () => {
      consumed += 1;
      if (consumed === count) allConsumed();
    },
  });

  const start = performance.now();
  for (let i = 0; i < events.length; i += 500) await bus.publish('orders', events.slice(i, i + 500));
  const publishSeconds = (performance.now() - start) / 1000;
  await done;
  const seconds = (performance.now() - start) / 1000;

  await subscription.stop();
  await bus.close();
  return {
    scenario: 'embedded bus publish → consume',
    events: count,
    seconds,
    note: `publish alone ${Math.round(count / publishSeconds)} events/s`,
  };
}
