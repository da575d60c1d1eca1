/**
 * Transactional outbox (DESIGN §7): services write events in the same transaction as their state
 * change, and a relay publishes them on the event bus, so a broker outage loses nothing.
 */
export {
  DEFAULT_OUTBOX_TABLE,
  countUnpublished,
  enqueueEvents,
  ensureOutboxTable,
  outboxMigration,
  type OutboxRow,
} from './outbox.js';
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './relay.js';
export { knexOutboxStore } from './knex-store.js';
export type { OutboxBacklog, OutboxMessage, OutboxStore, PublishOutcome, RoundOutcome } from './store.js';
export { outboxMetrics, type OutboxMetrics } from './metrics.js';
