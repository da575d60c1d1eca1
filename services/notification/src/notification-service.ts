import {
  listen,
  shutdown,
  type EventBus,
  type Logger,
  type RunningService,
  type ServiceApp,
  type ShutdownStep,
} from '@cartwheel/kit';
import { createApp } from './app.js';
import type { DeliverySettings } from './domain/deliver-notification.use-case.js';
import type { DedupStore, Mailer } from './domain/ports.js';
import {
  DEFAULT_TOPICS,
  subscribeNotifications,
  type NotificationTopics,
} from './entry-points/events/notification-events.consumer.js';
import { notificationMetrics } from './metrics.js';

/** The claim a delivery holds while it sends: longer than the SMTP adapter's 60 s send timeout. */
export const CLAIM_TTL_MS = 120_000;

export interface NotificationServiceDeps {
  bus: EventBus;
  mailer: Mailer;
  dedup: DedupStore;
  logger: Logger;
  port: number;
  host?: string;
  /** Default `users`, `orders`, `inventory`, `ai-notifications` (tests pass unique names). */
  topics?: NotificationTopics;
  /** Consumer group (default `notification`). */
  groupId?: string;
  /** `inventory.low` recipients. */
  adminEmails?: string[];
  maxRetries?: number;
  retryBackoffMs?: number;
  dedupTtlSec?: number;
  claimTtlMs?: number;
  /** Stopped last, in reverse order (the Redis client the caller made for `dedup`). */
  resources?: ShutdownStep[];
  shutdownTimeoutMs?: number;
}

export interface RunningNotificationService extends RunningService {
  service: ServiceApp;
}

/**
 * Creates the topics, subscribes group `notification` to all four, then serves `/health`,
 * `/ready` and `/metrics`. `stop()` fails `/ready`, drains HTTP, stops the consumer (the email in
 * hand finishes), then closes the mailer and the given resources (STYLE.md §8).
 */
export async function startNotificationService(
  deps: NotificationServiceDeps,
): Promise<RunningNotificationService> {
  const { bus, logger } = deps;
  const topics = deps.topics ?? DEFAULT_TOPICS;
  const maxRetries = deps.maxRetries ?? 8;
  const steps: ShutdownStep[] = [...(deps.resources ?? [])];
  const stop = async () => {
    await shutdown([...steps].reverse(), logger, deps.shutdownTimeoutMs ?? 10_000);
  };
  steps.push({ name: 'mailer', stop: () => deps.mailer.close() });
  try {
    await bus.ensureTopics(Object.values(topics));
    const service = createApp({ bus, mailer: deps.mailer, logger });
    const settings: DeliverySettings = {
      adminEmails: deps.adminEmails ?? [],
      dedupTtlSec: deps.dedupTtlSec ?? 7 * 24 * 3600,
      claimTtlMs: deps.claimTtlMs ?? CLAIM_TTL_MS,
    };
    const subscription = await subscribeNotifications({
      bus,
      groupId: deps.groupId ?? 'notification',
      topics,
      maxRetries,
      retryBackoffMs: deps.retryBackoffMs ?? 500,
      delivery: {
        mailer: deps.mailer,
        dedup: deps.dedup,
        observer: notificationMetrics(service.registry),
        logger,
        settings,
      },
    });
    steps.push({ name: 'event consumer', stop: () => subscription.stop() });
    const server = await listen(service.app, deps.port, deps.host);
    steps.push({ name: 'http', stop: () => server.close() });
    steps.push({ name: 'readiness', stop: () => void (service.readiness.draining = true) });
    return { name: 'notification', url: server.url, service, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
