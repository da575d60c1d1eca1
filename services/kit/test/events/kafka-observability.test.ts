import { context, SpanKind, trace } from '@opentelemetry/api';
import { eventually, testServers, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { createEvent, createKafkaBus, type Delivery, type EventBus } from '../../src/events/index.js';
import { createServiceScope, withServiceScope } from '../../src/telemetry/service-scope.js';
import { tracerFor } from '../../src/telemetry/tracing.js';
import { metricSum, metricValue } from '../support/databases.js';
import { serviceOf, useInMemoryTracing } from '../support/tracing.js';
import { deferred } from './helpers.js';

const kafkaBus = (): EventBus =>
  createKafkaBus({
    brokers: testServers().kafkaBrokers,
    clientId: 'kit-observability',
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 6000,
    maxWaitTimeInMs: 200,
    lagSampleIntervalMs: 200,
  });

describe('Kafka bus: metrics and trace context', function () {
  this.timeout(60_000);
  let bus: EventBus;

  before(() => (bus = kafkaBus()));
  after(() => bus?.close());

  it('when a consumer holds its first event, then the sampled event_consumer_lag shows what waits, published and consumed are counted, and the lag returns to 0', async () => {
    const topic = uniqueName('kafka-lag');
    const group = uniqueName('g');
    await bus.ensureTopics([topic]);
    const scope = createServiceScope('kafka-consumer');
    const registry = new Registry();
    scope.metrics.registerIn(registry);
    const gate = deferred();
    const subscription = await withServiceScope(scope, () =>
      bus.subscribe({ groupId: group, topics: [topic], handler: () => gate.promise }),
    );
    try {
      await withServiceScope(scope, () =>
        bus.publish(
          topic,
          [1, 2, 3].map((n) =>
            createEvent({ source: 't', type: 'thing.queued', subject: 'one-key', data: { n } }),
          ),
        ),
      );
      expect(await metricValue(registry, 'events_published_total', { topic, type: 'thing.queued' })).to.equal(
        3,
      );

      await eventually('the lag sample to see three waiting', async () => {
        return (await metricSum(registry, 'event_consumer_lag', { group, topic })) === 3;
      });
      gate.resolve();
      await eventually('all three handled', async () => {
        return (await metricSum(registry, 'events_consumed_total', { group, topic })) === 3;
      });
      await eventually('the lag sample to see none waiting', async () => {
        return (await metricSum(registry, 'event_consumer_lag', { group, topic })) === 0;
      });
    } finally {
      gate.resolve();
      await subscription.stop();
    }
    expect(
      await metricSum(registry, 'event_consumer_lag', { group }),
      'a stopped subscription leaves the gauge',
    ).to.equal(0);
  });

  describe('with tracing on', () => {
    let tracing: ReturnType<typeof useInMemoryTracing>;
    before(() => (tracing = useInMemoryTracing()));
    after(() => tracing.stop());

    it('when an event is published inside a span, then the producer span rides in the Kafka headers and the consumer span is its child in the same trace', async () => {
      const topic = uniqueName('kafka-traced');
      await bus.ensureTopics([topic]);
      const seen: Delivery[] = [];
      const subscription = await withServiceScope('kafka-consumer', () =>
        bus.subscribe({
          groupId: uniqueName('g'),
          topics: [topic],
          handler: async (_event, delivery) => void seen.push(delivery),
        }),
      );
      let traceId = '';
      try {
        await withServiceScope('kafka-producer', () =>
          tracerFor('kafka-producer').startActiveSpan('place', async (span) => {
            traceId = span.spanContext().traceId;
            await bus.publish(topic, [
              createEvent({ source: 't', type: 'thing.traced', subject: 'k', data: {} }),
            ]);
            span.end();
          }),
        );
        await eventually('the consumer span', () =>
          tracing.exporter
            .getFinishedSpans()
            .some((s) => s.kind === SpanKind.CONSUMER && s.spanContext().traceId === traceId),
        );
      } finally {
        await subscription.stop();
      }
      const spans = tracing.exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const producer = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
      const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER)!;
      const root = spans.find((s) => s.name === 'place')!;
      expect(producer.name).to.equal(`publish ${topic}`);
      expect(producer.attributes['messaging.system']).to.equal('kafka');
      expect(producer.parentSpanContext?.spanId).to.equal(root.spanContext().spanId);
      expect(consumer.parentSpanContext?.spanId).to.equal(producer.spanContext().spanId);
      expect([serviceOf(producer), serviceOf(consumer)]).to.deep.equal(['kafka-producer', 'kafka-consumer']);
      expect(seen[0].headers.traceparent).to.equal(`00-${traceId}-${producer.spanContext().spanId}-01`);
      expect(trace.getSpan(context.active()), 'nothing leaks into the test’s context').to.equal(undefined);
    });
  });
});
