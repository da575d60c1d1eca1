import type { Logger } from '@cartwheel/kit';
import {
  composeNotification,
  type ComposeSettings,
  type NotificationRequest,
} from './compose-notification.js';
import { messageIdFor } from './message-id.js';
import type { Email } from './notification.js';
import type { DedupStore, DeliveryObserver, Mailer } from './ports.js';

/** Thrown while another delivery of the same event holds its claim: the bus retries later. */
export class DeliveryInFlightError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is being emailed by another delivery; retrying later`);
    this.name = 'DeliveryInFlightError';
  }
}

export interface DeliverySettings extends ComposeSettings {
  /** How long a sent event id is remembered (`NOTIFY_DEDUP_TTL_SEC`). */
  dedupTtlSec: number;
  /** How long a claim holds; longer than the slowest send (SMTP timeouts), so it never lapses mid-send. */
  claimTtlMs: number;
}

export interface DeliveryDeps {
  mailer: Mailer;
  dedup: DedupStore;
  observer: DeliveryObserver;
  logger: Logger;
  settings: DeliverySettings;
}

/**
 * Sends the email of one event at most once in effect:
 * 1. claim the event id — already sent → nothing (a redelivery); claimed by a concurrent
 *    delivery → throw, so the bus retries after backoff and then finds it sent (or free again);
 * 2. send; on failure release the claim and throw (the bus retries with backoff, then DLQ);
 * 3. mark the event sent. Marking comes after the send, so a crash between the two resends once
 *    after the claim expires — never loses the email.
 */
export async function deliverNotification(
  deps: DeliveryDeps,
  eventId: string,
  email: Email,
): Promise<'sent' | 'duplicate'> {
  const { dedup, observer, logger, settings } = deps;
  const claim = await dedup.claim(eventId, settings.claimTtlMs);
  if (claim.status === 'sent') {
    observer.deduplicated(email.type);
    logger.info({ eventId, type: email.type }, 'email already sent for this event; skipped');
    return 'duplicate';
  }
  if (claim.status === 'in-flight') throw new DeliveryInFlightError(eventId);

  try {
    await deps.mailer.send({ ...email, messageId: messageIdFor(eventId) });
  } catch (error) {
    await dedup
      .release(eventId, claim.token)
      .catch((releaseError: unknown) =>
        logger.warn({ eventId, err: releaseError }, 'could not release the claim; it expires by itself'),
      );
    throw error;
  }
  // After a successful send nothing may throw: a retry would send the email again.
  await dedup
    .markSent(eventId, settings.dedupTtlSec)
    .catch((error: unknown) => logger.warn({ eventId, err: error }, 'could not record the email as sent'));
  observer.sent(email.type);
  logger.info({ eventId, type: email.type, subject: email.subject }, 'email sent');
  return 'sent';
}

/**
 * The email of one consumed event: composed from its data, then delivered once in effect. An
 * event nobody can be written to (no or no valid recipient) is skipped with a warning — a retry
 * would not change that. Rendering and sending errors propagate to the bus (retry, then DLQ).
 */
export async function notify(
  deps: DeliveryDeps,
  eventId: string,
  request: NotificationRequest,
): Promise<'sent' | 'duplicate' | 'skipped'> {
  const composed = composeNotification(request, deps.settings);
  if ('skipped' in composed) {
    deps.observer.skipped(request.type, composed.skipped);
    deps.logger.warn({ eventId, type: request.type, reason: composed.skipped }, 'no email sent');
    return 'skipped';
  }
  return deliverNotification(deps, eventId, composed.email);
}
