import { commonConfig, list, optionalUrl } from '@cartwheel/kit';
import { z } from 'zod';

const DAY_SEC = 24 * 3600;
/** `addr@host` or `Name <addr@host>`, on one line (no control characters). */
// eslint-disable-next-line no-control-regex
const MAILBOX = /^[^\u0000-\u001f\u007f]*[^\s@<>]+@[^\s@<>]+>?$/;

/** The notification service's environment (loaded once, in `service.start`). */
export const notificationConfig = commonConfig.extend({
  /** SMTP server (`smtp://host:port`, `smtps://user:pass@host:465`); unset → `.eml` files under `<CARTWHEEL_DATA_DIR>/mail`. */
  SMTP_URL: optionalUrl('smtp', 'smtps'),
  /** The From of every email. */
  MAIL_FROM: z
    .string()
    .trim()
    .max(300)
    .regex(MAILBOX, 'must be an address, e.g. "Shop <no-reply@shop.example>"')
    .default('Cartwheel <no-reply@cartwheel.local>'),
  /** Who gets `inventory.low` alerts, comma-separated; empty → alerts are logged and skipped. */
  NOTIFY_ADMIN_EMAILS: list().pipe(z.array(z.email('must be a comma-separated list of email addresses'))),
  /** Retries after a failed attempt before the event is parked in `<topic>.dlq`. */
  NOTIFY_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(8),
  /** First retry delay; it doubles on each retry (500 ms, 1 s, 2 s, … about 2 min over 8 retries). */
  NOTIFY_RETRY_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(500),
  /** How long a sent event id is remembered (default 7 days, Kafka's default retention). */
  NOTIFY_DEDUP_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * DAY_SEC)
    .default(7 * DAY_SEC),
  /** Redis for de-duplication shared by replicas; unset → this process's memory. */
  REDIS_URL: optionalUrl('redis', 'rediss'),
});

export type NotificationConfig = z.output<typeof notificationConfig>;
