import type { Email, NotificationType } from './notification.js';

/** An email on its way out: `messageId` (`<…@cartwheel.local>`) is derived from the event id. */
export interface OutgoingEmail extends Email {
  messageId: string;
}

/**
 * Delivers emails. Two adapters pass one contract suite: SMTP (nodemailer) and `.eml` files
 * (embedded mode). `send` resolves once the message is accepted (SMTP 250, file written) and
 * rejects otherwise, so the caller can retry.
 */
export interface Mailer {
  readonly kind: 'smtp' | 'file';
  send(email: OutgoingEmail): Promise<void>;
  /** Throws when the transport cannot take mail now (used by `/ready`). */
  verify(): Promise<void>;
  close(): Promise<void>;
}

/** The state of one event id in the de-duplication store. */
export type Claim =
  /** Nobody sent it and nobody is sending it: it is ours until `markSent` or `release`. */
  | { status: 'claimed'; token: string }
  /** Sent already (within the TTL). */
  | { status: 'sent' }
  /** Another delivery holds an unexpired claim right now. */
  | { status: 'in-flight' };

/**
 * Remembers which events were emailed (de-duplication by event id). Two adapters pass one
 * contract suite: Redis (`SET … NX` with expiry, shared by replicas) and memory (bounded, TTL).
 */
export interface DedupStore {
  /** Takes a short claim on `eventId` unless it is sent or claimed; the claim expires after `claimTtlMs`. */
  claim(eventId: string, claimTtlMs: number): Promise<Claim>;
  /** Records `eventId` as sent for `ttlSec` (replacing the claim). */
  markSent(eventId: string, ttlSec: number): Promise<void>;
  /** Drops our claim (after a failed send) so a retry can claim again; someone else's claim stays. */
  release(eventId: string, token: string): Promise<void>;
}

/** What delivery reports (the service counts it in Prometheus). */
export interface DeliveryObserver {
  sent(type: NotificationType): void;
  /** One failed attempt: parsing, rendering or sending threw (the bus retries, then dead-letters). */
  failed(type: NotificationType): void;
  deduplicated(type: NotificationType): void;
  skipped(type: NotificationType, reason: string): void;
  /** The last attempt failed: the bus parks the event in `<topic>.dlq`. */
  deadLettered(type: NotificationType): void;
}
