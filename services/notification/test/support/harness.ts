import { once } from 'node:events';
import {
  createEvent,
  createKafkaBus,
  type CloudEvent,
  type EventBus,
  type Logger,
  type Subscription,
} from '@cartwheel/kit';
import { testServers, uniqueName } from '@cartwheel/testing';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import {
  createFallbackDedupStore,
  createMemoryDedupStore,
  createRedisDedupStore,
  createSmtpMailer,
  startNotificationService,
  type NotificationTopics,
  type RunningNotificationService,
} from '../../src/index.js';
import { anOrder } from '../domain/builders.js';
import { silentLogger } from './logs.js';
import { startTestSmtpServer, type TestSmtpServer } from './smtp-server.js';

/** A Kafka client tuned to join and leave groups fast, as the other services' suites do. */
export const kafkaBus = (clientId: string): EventBus =>
  createKafkaBus({
    brokers: testServers().kafkaBrokers,
    clientId: uniqueName(clientId),
    logger: silentLogger,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 6000,
    maxWaitTimeInMs: 200,
  });

export async function readyRedis(): Promise<Redis> {
  const redis = new Redis(testServers().redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  if (redis.status !== 'ready') await once(redis, 'ready');
  return redis;
}

export interface HarnessOptions {
  maxRetries?: number;
  retryBackoffMs?: number;
  adminEmails?: string[];
  logger?: Logger;
}

export interface Harness {
  notifier: RunningNotificationService;
  smtp: TestSmtpServer;
  topics: NotificationTopics;
  /** The other services' side of Kafka: publishes, and watches the DLQs. */
  producer: EventBus;
  redis: Redis;
  /** Key prefix of this harness's de-duplication keys in Redis. */
  dedupPrefix: string;
  publish(topic: keyof NotificationTopics, ...events: CloudEvent[]): Promise<void>;
  /** Collects what lands in `<topic>.dlq` of the given topics from now on. */
  watchDlq(...topics: Array<keyof NotificationTopics>): Promise<Array<{ event: CloudEvent; reason: string }>>;
  /** A counter's value for one label set (0 when never incremented). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The notification service as it runs in connected mode — Kafka (unique topics and group),
 * Redis de-duplication with the memory fallback, SMTP to a real smtp-server in this process —
 * plus a second Kafka client for the producers' side.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const topics: NotificationTopics = {
    users: uniqueName('users'),
    orders: uniqueName('orders'),
    inventory: uniqueName('inventory'),
    aiNotifications: uniqueName('ai-notifications'),
  };
  const smtp = await startTestSmtpServer();
  const bus = kafkaBus('notification-test');
  const producer = kafkaBus('producers');
  const redis = await readyRedis();
  const dedupPrefix = `${uniqueName('notification-dedup')}:`;
  const logger = options.logger ?? silentLogger;
  const watchers: Subscription[] = [];
  const notifier = await startNotificationService({
    bus,
    mailer: createSmtpMailer({ url: smtp.url, from: 'Cartwheel <no-reply@cartwheel.local>', logger }),
    dedup: createFallbackDedupStore(
      createRedisDedupStore(redis, { keyPrefix: dedupPrefix }),
      createMemoryDedupStore(),
      logger,
    ),
    logger,
    port: 0,
    host: '127.0.0.1',
    topics,
    groupId: uniqueName('notification'),
    adminEmails: options.adminEmails ?? ['ops@example.com', 'buyer@example.com'],
    maxRetries: options.maxRetries ?? 2,
    retryBackoffMs: options.retryBackoffMs ?? 50,
  });
  const registry: Registry = notifier.service.registry;
  return {
    notifier,
    smtp,
    topics,
    producer,
    redis,
    dedupPrefix,
    publish: (topic, ...events) => producer.publish(topics[topic], events),
    async watchDlq(...names) {
      const parked: Array<{ event: CloudEvent; reason: string }> = [];
      watchers.push(
        await producer.subscribe({
          groupId: uniqueName('dlq-watcher'),
          topics: names.map((name) => `${topics[name]}.dlq`),
          handler: async (event, delivery) =>
            void parked.push({ event, reason: delivery.headers['x-dlq-reason'] ?? '' }),
        }),
      );
      return parked;
    },
    async metric(name, labels) {
      const metric = registry.getSingleMetric(name);
      if (!metric) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      const match = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
      return match?.value ?? 0;
    },
    async stop() {
      await Promise.all(watchers.map((w) => w.stop()));
      await notifier.stop();
      await Promise.all([bus.close(), producer.close()]);
      redis.disconnect();
      await smtp.stop();
    },
  };
}

// --- events as the producers publish them (the contracts in the brief) ---

export const ORDER_SOURCE = '/services/order';

export function orderPlacedEvent(orderId: string, overrides: Record<string, unknown> = {}): CloudEvent {
  return createEvent({
    source: ORDER_SOURCE,
    type: 'order.placed',
    subject: orderId,
    data: {
      ...anOrder({ _id: orderId, created_at: new Date().toISOString() }),
      user_id: '1',
      status: 'pending',
      ...overrides,
    },
  });
}

export function orderStatusEvent(
  orderId: string,
  from: string,
  to: string,
  userEmail = 'customer@example.com',
) {
  return createEvent({
    source: ORDER_SOURCE,
    type: 'order.status_changed',
    subject: orderId,
    data: {
      _id: orderId,
      from,
      to,
      changed_at: new Date().toISOString(),
      user_id: '1',
      user_email: userEmail,
    },
  });
}

export function orderCancelledEvent(orderId: string, userEmail: string | null = 'customer@example.com') {
  return createEvent({
    source: ORDER_SOURCE,
    type: 'order.cancelled',
    subject: orderId,
    data: { _id: orderId, cancelled_at: new Date().toISOString(), user_id: '1', user_email: userEmail },
  });
}

export function userCreatedEvent(userId: string, overrides: Record<string, unknown> = {}) {
  return createEvent({
    source: '/services/user',
    type: 'user.created',
    subject: userId,
    data: {
      id: userId,
      email: 'new.user@example.com',
      first_name: 'Example',
      last_name: 'Customer',
      role: 'user',
      created_at: new Date().toISOString(),
      ...overrides,
    },
  });
}

/** The Message-ID header the email of `event` carries. */
export const messageIdOf = (event: CloudEvent) => `<${event.id}@cartwheel.local>`;
