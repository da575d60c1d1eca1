import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaConfig,
  type logCreator,
  type Producer,
} from 'kafkajs';
import { withTimeout } from '../lifecycle/timeout.js';
import type { Logger } from '../logging/logger.js';
import { currentServiceScope } from '../telemetry/service-scope.js';
import { sampleKafkaLag } from './kafka-lag.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BACKOFF_MS, deliverWithRetry } from './retry.js';
import { groupTopicRegistry } from './group-topics.js';
import { tracedPublish } from './publish-telemetry.js';
import {
  dlqTopic,
  type CloudEvent,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
} from './types.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs log lines go here (at `kafkaLogLevel` and above); without it kafkajs stays silent. */
  logger?: Logger;
  kafkaLogLevel?: 'error' | 'warn' | 'info' | 'debug';
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** Partitions and replication factor of topics made by `ensureTopics` (defaults 3 and 1). */
  partitions?: number;
  replicationFactor?: number;
  /** Group membership tuning; low values make tests join and leave faster. */
  sessionTimeout?: number;
  heartbeatInterval?: number;
  rebalanceTimeout?: number;
  /** Longest idle fetch; bounds how long `stop()` waits for an empty fetch (default 1000 ms). */
  maxWaitTimeInMs?: number;
  /** `subscribe` rejects if the group is not joined within this time (default 30 s). */
  joinTimeoutMs?: number;
  /** `ping` rejects after this long (default 3 s). */
  pingTimeoutMs?: number;
  /** How often each subscription samples its group's lag for `event_consumer_lag` (default 15 s). */
  lagSampleIntervalMs?: number;
}

const LEVELS = {
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      if (level === KafkaLogLevel.ERROR) logger.error(fields, message);
      else if (level === KafkaLogLevel.WARN) logger.warn(fields, message);
      else if (level === KafkaLogLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}

function headersToRecord(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * The Kafka transport (connected and Kubernetes modes) on kafkajs: an idempotent producer
 * (acks=all, key = subject, value = JSON envelope, W3C trace headers) and one consumer group
 * member per subscription that commits an offset only after its handler — or the DLQ publish —
 * has finished, so a crash redelivers instead of losing an event.
 *
 * @param options brokers, clientId, optional TLS/SASL, logger and group tuning.
 * @example const bus = createKafkaBus({ brokers: config.KAFKA_BROKERS.split(','), clientId: 'order', logger });
 */
/** Tries to join a consumer group while the broker answers with retriable errors. */
const JOIN_ATTEMPTS = 6;

export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const logger = options.logger;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: logger ? LEVELS[options.kafkaLogLevel ?? 'warn'] : KafkaLogLevel.NOTHING,
    logCreator: logger ? pinoLogCreator(logger) : undefined,
  });
  // One in-flight request keeps the order of a key's events even across producer retries.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const admin: Admin = kafka.admin();
  let producerReady: Promise<void> | undefined;
  let adminReady: Promise<void> | undefined;
  const subscriptions = new Set<Subscription>();
  const groupTopics = groupTopicRegistry();

  const connectProducer = () =>
    (producerReady ??= producer.connect().catch((error: unknown) => {
      producerReady = undefined;
      throw error;
    }));
  const connectAdmin = () =>
    (adminReady ??= admin.connect().catch((error: unknown) => {
      adminReady = undefined;
      throw error;
    }));

  async function subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
    const { groupId, topics, handler } = subscribeOptions;
    const leaveGroup = groupTopics.join(groupId, topics);
    const maxRetries = subscribeOptions.maxRetries ?? DEFAULT_MAX_RETRIES;
    const retryBackoffMs = subscribeOptions.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
    const scope = currentServiceScope();
    const abort = new AbortController();
    await connectProducer();
    // A broker that just started (or a coordinator that moved) answers joins with retriable
    // errors such as COORDINATOR_LOAD_IN_PROGRESS for a while: start again with a new consumer.
    let consumer: Consumer;
    for (let attempt = 1; ; attempt++) {
      try {
        consumer = await startConsumer();
        break;
      } catch (error) {
        if (attempt >= JOIN_ATTEMPTS || !(error as { retriable?: boolean }).retriable) {
          leaveGroup();
          throw error;
        }
        logger?.warn({ err: error, groupId, attempt }, 'joining the consumer group failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000)));
      }
    }
    const running = consumer;

    async function startConsumer(): Promise<Consumer> {
      const consumer: Consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: options.sessionTimeout,
        heartbeatInterval: options.heartbeatInterval,
        rebalanceTimeout: options.rebalanceTimeout,
        maxWaitTimeInMs: options.maxWaitTimeInMs ?? 1000,
      });
      await consumer.connect();
      const joined = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      });
      joined.catch(() => undefined); // a crash before we await it must not count as unhandled
      try {
        await consumer.subscribe({ topics, fromBeginning: subscribeOptions.fromBeginning ?? true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({
            batch,
            resolveOffset,
            heartbeat,
            commitOffsetsIfNecessary,
            isRunning,
            isStale,
          }) => {
            const { topic, partition } = batch;
            for (const message of batch.messages) {
              if (abort.signal.aborted || !isRunning() || isStale()) break;
              const headers = headersToRecord(message.headers);
              const outcome = await deliverWithRetry({
                raw: message.value ?? Buffer.alloc(0),
                topic,
                partition,
                offset: message.offset,
                groupId,
                headers,
                handler,
                maxRetries,
                retryBackoffMs,
                signal: abort.signal,
                logger,
                scope,
                beforeRetry: heartbeat,
                deadLetter: async (dlqHeaders) => {
                  await producer.send({
                    topic: dlqTopic(topic),
                    acks: -1,
                    messages: [{ key: message.key, value: message.value, headers: dlqHeaders }],
                  });
                },
              });
              // Left unresolved and uncommitted: the next member of the group gets it again.
              if (outcome === 'abandoned') break;
              resolveOffset(message.offset);
              // Committed one by one, through the batch API: unlike consumer.commitOffsets it still
              // commits while stop() is draining, so the event in hand is not redelivered needlessly.
              const next = (BigInt(message.offset) + 1n).toString();
              await commitOffsetsIfNecessary({
                topics: [{ topic, partitions: [{ partition, offset: next }] }],
              });
              if (!abort.signal.aborted) await heartbeat();
            }
          },
        });
        await withTimeout(joined, options.joinTimeoutMs ?? 30_000, `joining consumer group ${groupId}`);
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
      return consumer;
    }
    const lag = scope
      ? sampleKafkaLag({
          admin: async () => {
            await connectAdmin();
            return admin;
          },
          groupId,
          topics,
          intervalMs: options.lagSampleIntervalMs ?? 15_000,
          logger,
        })
      : undefined;
    const untrackLag = lag ? scope?.metrics.trackLag(lag.latest) : undefined;
    let stopped: Promise<void> | undefined;
    const subscription: Subscription = {
      stop() {
        stopped ??= (async () => {
          lag?.stop();
          untrackLag?.();
          abort.abort();
          // kafkajs waits for the batch in hand, then leaves the group.
          await running.disconnect();
          subscriptions.delete(subscription);
          leaveGroup();
        })();
        return stopped;
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    async publish(topic: string, events: CloudEvent[], headers: Record<string, string> = {}): Promise<void> {
      if (events.length === 0) return;
      await connectProducer();
      await tracedPublish('kafka', topic, events, headers, async (traced) => {
        await producer.send({
          topic,
          acks: -1,
          messages: events.map((event) => ({
            key: event.subject,
            value: JSON.stringify(event),
            headers: traced,
          })),
        });
      });
    },

    subscribe,

    async ensureTopics(names: string[]): Promise<void> {
      await connectAdmin();
      const wanted = new Set(
        names.flatMap((name) => (name.endsWith('.dlq') ? [name] : [name, dlqTopic(name)])),
      );
      // Resolves false (no throw) when every topic already exists; new ones are created either way.
      await admin.createTopics({
        waitForLeaders: true,
        topics: [...wanted].map((topic) => ({
          topic,
          numPartitions: options.partitions ?? 3,
          replicationFactor: options.replicationFactor ?? 1,
        })),
      });
    },

    async ping(): Promise<void> {
      await withTimeout(
        connectAdmin().then(() => admin.describeCluster()),
        options.pingTimeoutMs ?? 3000,
        'Kafka ping',
      );
    },

    async close(): Promise<void> {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
