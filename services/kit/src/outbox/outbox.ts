import type { Knex } from 'knex';
import { injectTraceContext } from '../events/trace-context.js';
import type { CloudEvent } from '../events/types.js';

/** The default outbox table name; a service with several outboxes passes its own. */
export const DEFAULT_OUTBOX_TABLE = 'outbox';

/** One row of the outbox table, as the relay reads it. */
export interface OutboxRow {
  /** bigserial: pg returns it as a string, PGlite as a number. Only ever passed back to SQL. */
  id: string | number;
  topic: string;
  event_key: string;
  event: CloudEvent;
  headers: Record<string, string>;
  attempts: number;
}

// Postgres rejects statements with more than 65535 bind parameters; each row binds four.
const INSERT_CHUNK = 1000;

function indexName(table: string): string {
  return `${table.replace(/[^A-Za-z0-9_]/g, '_')}_unpublished_idx`;
}

/**
 * Creates the outbox table and its partial index on unpublished rows if they do not exist.
 * Idempotent, so a service may call it at every start or from one of its migrations.
 *
 * The partial index holds only the backlog, so the relay's `where published_at is null order by
 * id` stays an index scan however many published rows the table keeps.
 *
 * @example await ensureOutboxTable(db); // then enqueueEvents(trx, 'orders', [event])
 */
export async function ensureOutboxTable(db: Knex, table = DEFAULT_OUTBOX_TABLE): Promise<void> {
  await db.raw(
    `create table if not exists ?? (
       id bigserial primary key,
       topic text not null,
       event_key text not null,
       event jsonb not null,
       headers jsonb not null default '{}'::jsonb,
       created_at timestamptz not null default now(),
       published_at timestamptz null,
       attempts integer not null default 0,
       last_error text null
     )`,
    [table],
  );
  await db.raw('create index if not exists ?? on ?? (id) where published_at is null', [
    indexName(table),
    table,
  ]);
}

/**
 * A knex migration (`up`/`down`) creating the outbox table, for services whose schema lives in
 * knex migrations. `down` drops the table with its backlog: only for development resets.
 *
 * @example migrations: { migrationSource: { …, getMigration: () => outboxMigration() } }
 */
export function outboxMigration(table = DEFAULT_OUTBOX_TABLE): Knex.Migration {
  return {
    up: (db) => ensureOutboxTable(db, table),
    down: async (db) => {
      await db.schema.dropTableIfExists(table);
    },
  };
}

/**
 * Writes `events` for `topic` into the outbox inside the caller's transaction, so the state
 * change and its events commit together or not at all. The relay publishes them after commit.
 * The Kafka key is each event's `subject`. Resolves with the number of rows written.
 *
 * @example await db.transaction(async (trx) => { await saveOrder(trx, order); await enqueueEvents(trx, 'orders', [placed]); });
 */
export async function enqueueEvents(
  trx: Knex | Knex.Transaction,
  topic: string,
  events: CloudEvent[],
  table = DEFAULT_OUTBOX_TABLE,
): Promise<number> {
  if (events.length === 0) return 0;
  // Captured now, inside the request's span: the relay publishes later, outside any request, and
  // the consumer's span must link to the request that caused the event.
  const headers = JSON.stringify(injectTraceContext());
  for (let start = 0; start < events.length; start += INSERT_CHUNK) {
    const rows = events.slice(start, start + INSERT_CHUNK).map((event) => ({
      topic,
      event_key: event.subject,
      // Serialised here: pg and PGlite would each encode a JS object bound to jsonb their own way.
      event: JSON.stringify(event),
      headers,
    }));
    await trx(table).insert(rows);
  }
  return events.length;
}

/** The number of events not yet published (the backlog). */
export async function countUnpublished(db: Knex, table = DEFAULT_OUTBOX_TABLE): Promise<number> {
  const row = await db(table)
    .whereNull('published_at')
    .count<{ count: string | number }[]>('* as count')
    .first();
  return Number(row?.count ?? 0);
}
