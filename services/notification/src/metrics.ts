import { Counter, type Registry } from 'prom-client';
import type { DeliveryObserver } from './domain/ports.js';

/**
 * The service's Prometheus series, in the app's registry (so `/metrics` shows them), labelled by
 * email type (`welcome`, `order_confirmation`, …):
 * `notification_emails_sent_total`, `notification_emails_failed_total` (failed attempts),
 * `notification_emails_deduplicated_total` (redeliveries not sent again),
 * `notification_emails_skipped_total{reason}` (nobody to write to), `notification_dlq_total`.
 */
export function notificationMetrics(registry: Registry): DeliveryObserver {
  const counter = (name: string, help: string, labelNames: string[] = ['type']) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const sent = counter('notification_emails_sent_total', 'Emails accepted by the mail transport');
  const failed = counter(
    'notification_emails_failed_total',
    'Failed attempts to email an event (bad data, rendering or transport errors); each is retried until the DLQ',
  );
  const deduplicated = counter(
    'notification_emails_deduplicated_total',
    'Redelivered events whose email had been sent already',
  );
  const skipped = counter(
    'notification_emails_skipped_total',
    'Events with nobody to write to (no or invalid recipient, no admin address)',
    ['type', 'reason'],
  );
  const dlq = counter(
    'notification_dlq_total',
    'Events parked in <topic>.dlq after their last attempt failed',
  );
  return {
    sent: (type) => sent.inc({ type }),
    failed: (type) => failed.inc({ type }),
    deduplicated: (type) => deduplicated.inc({ type }),
    skipped: (type, reason) => skipped.inc({ type, reason }),
    deadLettered: (type) => dlq.inc({ type }),
  };
}
