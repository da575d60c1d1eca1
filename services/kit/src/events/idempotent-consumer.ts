import type { Knex } from 'knex';
import type { CloudEvent, Delivery, EventHandler } from './types.js';

/** A handler that does its writes through `trx`, the transaction that also records the event id. */
export type IdempotentHandler = (
  event: CloudEvent,
  delivery: Delivery,
  trx: Knex.Transaction,
) => Promise<void>;

export const PROCESSED_EVENTS_TABLE = 'processed_events';

/**
 * Creates the table that remembers which events each consumer has applied (primary key
 * consumer + event id). Safe to call at every start; works on PostgreSQL servers and PGlite.
 *
 * @param knex the service's database.
 * @param table table name (default `processed_events`).
 * @example await ensureProcessedEventsTable(db);
 */
export async function ensureProcessedEventsTable(knex: Knex, table = PROCESSED_EVENTS_TABLE): Promise<void> {
  await knex.raw(
    `create table if not exists ?? (
       consumer text not null,
       event_id text not null,
       processed_at timestamptz not null default now(),
       primary key (consumer, event_id)
     )`,
    [table],
  );
}

/**
 * Wraps a handler so a redelivered event changes nothing: in one transaction it records
 * (consumer, event id) and runs the handler; an event already recorded is skipped. If the
 * handler throws, the record is rolled back with its writes, so the retry really runs again.
 *
 * @param knex the service's database (with `ensureProcessedEventsTable` applied).
 * @param consumer a stable name per consumer, e.g. `inventory.order-placed`.
 * @param handler the work, done through the given transaction.
 * @param table table name (default `processed_events`).
 * @example bus.subscribe({ groupId, topics, handler: idempotent(db, 'inventory.order-placed', reserveStock) });
 */
export function idempotent(
  knex: Knex,
  consumer: string,
  handler: IdempotentHandler,
  table = PROCESSED_EVENTS_TABLE,
): EventHandler {
  return async (event, delivery) => {
    await knex.transaction(async (trx) => {
      // A concurrent duplicate blocks on the primary key until this commits, then inserts nothing.
      const inserted = await trx(table)
        .insert({ consumer, event_id: event.id })
        .onConflict(['consumer', 'event_id'])
        .ignore()
        .returning('event_id');
      if (inserted.length === 0) return;
      await handler(event, delivery, trx);
    });
  };
}
