import { expect } from 'chai';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { testServers, uniqueName } from '@cartwheel/testing';
import {
  createEvent,
  createKafkaBus,
  DLQ_HEADERS,
  dlqTopic,
  type CloudEvent,
  type EventBus,
} from '../../src/events/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { eventually } from '@cartwheel/testing';
import { useW3CTracing } from './helpers.js';

const busOptions = () => ({
  brokers: testServers().kafkaBrokers,
  clientId: 'kit-kafka-test',
  sessionTimeout: 6000,
  heartbeatInterval: 500,
  rebalanceTimeout: 6000,
  maxWaitTimeInMs: 200,
});

// Kafka 4 dropped the oldest protocol versions (KIP-896); these prove kafkajs 2.2.4 still speaks
// every API the bus uses: CreateTopics, Metadata, Produce (idempotent), JoinGroup/SyncGroup,
// Fetch, OffsetCommit, OffsetFetch, DescribeCluster.
describe('createKafkaBus against Kafka 4', function () {
  this.timeout(60_000);
  let bus: EventBus;
  let admin: Admin;
  let kafka: Kafka;
  let undoTracing: () => void;

  before(async () => {
    undoTracing = useW3CTracing();
    bus = createKafkaBus(busOptions());
    kafka = new Kafka({
      brokers: testServers().kafkaBrokers,
      clientId: 'kit-kafka-probe',
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await bus?.close();
    await admin?.disconnect();
    undoTracing?.();
  });

  it('when ensureTopics runs twice, then the topic and its .dlq twin exist with 3 partitions', async () => {
    const topic = uniqueName('created');
    await bus.ensureTopics([topic]);
    await bus.ensureTopics([topic]);

    const { topics } = await admin.fetchTopicMetadata({ topics: [topic, dlqTopic(topic)] });
    expect(topics.map((t) => [t.name, t.partitions.length])).to.have.deep.members([
      [topic, 3],
      [dlqTopic(topic), 3],
    ]);
  });

  it('when a group handled events and stopped, then its committed offsets (admin.fetchOffsets) equal the log end offsets', async () => {
    const topic = uniqueName('commit');
    const groupId = uniqueName('g');
    await bus.ensureTopics([topic]);
    await bus.publish(
      topic,
      Array.from({ length: 12 }, (_, i) =>
        createEvent({ source: '/t', type: 't', subject: `k${i % 5}`, data: { i } }),
      ),
    );
    let handled = 0;
    const subscription = await bus.subscribe({
      groupId,
      topics: [topic],
      handler: async () => void handled++,
    });
    await eventually('12 events handled', () => handled === 12);
    await subscription.stop();

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const byPartition = (rows: Array<{ partition: number; offset: string }>) =>
      Object.fromEntries(rows.map((r) => [r.partition, r.offset]));
    expect(byPartition(committed.partitions)).to.deep.equal(
      byPartition(ends.map((e) => ({ partition: e.partition, offset: e.high }))),
    );
    expect(ends.reduce((sum, e) => sum + Number(e.high), 0)).to.equal(12);
  });

  it('when an event is published inside a trace, then the Kafka record has key = subject, a JSON envelope value and a W3C traceparent header', async () => {
    const topic = uniqueName('wire');
    await bus.ensureTopics([topic]);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanContext = { traceId, spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    const sent = createEvent({ source: '/t', type: 'order.placed', subject: 'order-42', data: { total: 3 } });
    await context.with(trace.setSpanContext(context.active(), spanContext), () => bus.publish(topic, [sent]));

    const consumer = kafka.consumer({
      groupId: uniqueName('raw'),
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    const records: Array<{ key?: string; value?: string; traceparent?: string }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void records.push({
            key: message.key?.toString(),
            value: message.value?.toString(),
            traceparent: message.headers?.traceparent?.toString(),
          }),
      });
      await eventually('the record was read', () => records.length === 1);
    } finally {
      await consumer.disconnect();
    }
    const [record] = records;
    expect(record.key).to.equal('order-42');
    expect(JSON.parse(record.value!) as CloudEvent).to.deep.equal(sent);
    expect(record.traceparent).to.equal(`00-${traceId}-b7ad6b7169203331-01`);
  });

  it('when a record is not a valid envelope, then it is parked in the DLQ without calling the handler', async () => {
    const topic = uniqueName('garbage');
    await bus.ensureTopics([topic]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'x', value: '{"specversion":"0.3"}' }] });
    await producer.disconnect();
    let calls = 0;
    const parked: Array<Record<string, string>> = [];
    const subscription = await bus.subscribe({
      groupId: uniqueName('g'),
      topics: [topic],
      handler: async () => void calls++,
    });
    // The parked record is as malformed as the original, so read it with a plain kafkajs consumer.
    const consumer = kafka.consumer({
      groupId: uniqueName('raw'),
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [dlqTopic(topic)], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void parked.push(
            Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          ),
      });
      await eventually('the record was parked', () => parked.length === 1);
    } finally {
      await consumer.disconnect();
      await subscription.stop();
    }
    expect(calls).to.equal(0);
    expect(parked[0][DLQ_HEADERS.attempts]).to.equal('0');
    expect(parked[0][DLQ_HEADERS.reason]).to.match(/^Malformed event: /);
  });

  it('when the broker is reachable, then ping resolves; when it is not, then ping rejects within its timeout', async () => {
    await bus.ping();
    const lines: Array<{ level: string; kafkajs?: string }> = [];
    const logger = createLogger({
      service: 'test',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    const dead = createKafkaBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'kit-dead',
      pingTimeoutMs: 500,
      logger,
    });
    const started = Date.now();
    const error = await dead.ping().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.equal('Kafka ping timed out after 500 ms');
    expect(Date.now() - started).to.be.lessThan(5000);
    expect(
      lines.some((line) => line.level === 'error' && line.kafkajs),
      'kafkajs errors reach the pino logger',
    ).to.equal(true);
    await dead.close();
  });
});
