import type { CloudEvent } from '../events/types.js';

/** One event waiting in an outbox, as a store hands it to the relay. */
export interface OutboxMessage {
  topic: string;
  event: CloudEvent;
  /** Transport headers captured when the event was written (W3C trace context). */
  headers?: Record<string, string>;
}

/** What one publish attempt did with a claimed batch: acknowledged by the bus, or not. */
export interface PublishOutcome<M extends OutboxMessage = OutboxMessage> {
  acked: M[];
  unacked: M[];
  /** The first publish error, when any message stayed unacknowledged. */
  error?: unknown;
}

/** A round's outcome plus how many messages the store claimed for it. */
export interface RoundOutcome<M extends OutboxMessage = OutboxMessage> extends PublishOutcome<M> {
  claimed: number;
}

/**
 * Where an outbox lives, seen from the relay: the one relay loop (`startOutboxRelay`) drives
 * any store — a knex table (`knexOutboxStore`), or a document store without transactions that
 * keeps pending events inside the changed document.
 *
 * A store must never hand out an event before the change that wrote it is durable, must hand a
 * key's events out in the order they were written, and must mark as published only what the
 * `publish` callback reported acknowledged.
 */
export interface OutboxStore<M extends OutboxMessage = OutboxMessage> {
  /** Names the outbox in metrics (the `table` label) and logs. */
  readonly name: string;
  /**
   * Rounds of every relay sharing this object never overlap (e.g. all relays on a database
   * with a single connection); without it, each relay only serialises its own rounds.
   */
  readonly exclusive?: object;
  /**
   * Claims up to `limit` unpublished messages (oldest first, per-key order), calls `publish`
   * with them, marks the acknowledged ones published and releases the rest.
   */
  round(limit: number, publish: (messages: M[]) => Promise<PublishOutcome<M>>): Promise<RoundOutcome<M>>;
  /** Notes a failed attempt on messages that stay unpublished (attempt count, last error). */
  recordFailure(messages: M[], error: unknown): Promise<void>;
  /** The backlog: events written and not yet acknowledged. */
  countUnpublished(): Promise<number>;
  /**
   * The backlog and the age of its oldest event, in one look (for `outbox_backlog` and
   * `outbox_oldest_unpublished_age_seconds`). Optional: without it the relay uses
   * `countUnpublished` and reports the age only when the backlog is empty (0).
   */
  backlog?(): Promise<OutboxBacklog>;
}

export interface OutboxBacklog {
  count: number;
  /** Seconds since the oldest unpublished event was written; 0 when there is none. */
  oldestAgeSeconds: number;
}
