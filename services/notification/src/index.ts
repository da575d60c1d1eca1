/** @cartwheel/notification: emails from events, exactly once in effect (DESIGN §3: port 8085, no database). Exports its ServiceDefinition as `service`. */
import path from 'node:path';
import { loadConfig, type ServiceDefinition } from '@cartwheel/kit';
import { notificationConfig } from './config.js';
import { createFallbackDedupStore } from './data-access/fallback.dedup-store.js';
import { createFileMailer } from './data-access/file.mailer.js';
import { createMemoryDedupStore } from './data-access/memory.dedup-store.js';
import { createRedisDedupStore } from './data-access/redis.dedup-store.js';
import { connectRedis } from './data-access/redis.js';
import { createSmtpMailer } from './data-access/smtp.mailer.js';
import { startNotificationService } from './notification-service.js';

export { createApp, type AppDeps } from './app.js';
export { notificationConfig, type NotificationConfig } from './config.js';
export { createFallbackDedupStore } from './data-access/fallback.dedup-store.js';
export { createFileMailer, type FileMailerOptions } from './data-access/file.mailer.js';
export { createMemoryDedupStore, type MemoryDedupStoreOptions } from './data-access/memory.dedup-store.js';
export { createRedisDedupStore, type RedisDedupStoreOptions } from './data-access/redis.dedup-store.js';
export { connectRedis } from './data-access/redis.js';
export { createSmtpMailer, type SmtpMailerOptions } from './data-access/smtp.mailer.js';
export type { NotificationType } from './domain/notification.js';
export type { Claim, DedupStore, Mailer, OutgoingEmail } from './domain/ports.js';
export {
  DEFAULT_TOPICS,
  notificationHandler,
  type NotificationTopics,
} from './entry-points/events/notification-events.consumer.js';
export {
  CLAIM_TTL_MS,
  startNotificationService,
  type NotificationServiceDeps,
  type RunningNotificationService,
} from './notification-service.js';

/** Where an SMTP URL points, without its credentials (for the start log line). */
const smtpHost = (url: string) => {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
};

/** The notification service (DESIGN §3: port 8085; consumes users, orders, inventory, ai-notifications). */
export const service: ServiceDefinition = {
  name: 'notification',
  defaultPort: 8085,
  async start(runtime, port) {
    const config = loadConfig(notificationConfig, runtime.env);
    const { logger } = runtime;
    const from = config.MAIL_FROM;
    const mailDir = path.resolve(runtime.dataDir, 'mail');
    const mailer = config.SMTP_URL
      ? createSmtpMailer({ url: config.SMTP_URL, from, logger })
      : createFileMailer({ dir: mailDir, from, logger });
    // Fail fast on a mail directory that cannot be written; an SMTP server may come up later (/ready says so).
    if (mailer.kind === 'file') await mailer.verify();
    const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, logger) : undefined;
    const memory = createMemoryDedupStore();
    logger.info(
      {
        mail: config.SMTP_URL ? smtpHost(config.SMTP_URL) : mailDir,
        dedup: redis ? 'redis' : 'memory',
        admins: config.NOTIFY_ADMIN_EMAILS.length,
      },
      config.SMTP_URL ? 'emails go over SMTP' : 'emails are written as .eml files',
    );
    return startNotificationService({
      bus: runtime.bus,
      mailer,
      dedup: redis ? createFallbackDedupStore(createRedisDedupStore(redis), memory, logger) : memory,
      logger,
      port,
      adminEmails: config.NOTIFY_ADMIN_EMAILS,
      maxRetries: config.NOTIFY_MAX_RETRIES,
      retryBackoffMs: config.NOTIFY_RETRY_BACKOFF_MS,
      dedupTtlSec: config.NOTIFY_DEDUP_TTL_SEC,
      resources: redis ? [{ name: 'redis', stop: () => void redis.disconnect() }] : [],
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
  },
};
