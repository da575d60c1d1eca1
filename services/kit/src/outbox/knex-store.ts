import type { Knex } from 'knex';
import { countUnpublished, DEFAULT_OUTBOX_TABLE, type OutboxRow } from './outbox.js';
import type { OutboxStore } from './store.js';

/** PGlite (and a server pool of one) cannot run a second statement while a transaction is open. */
function hasSingleConnection(db: Knex): boolean {
  const pool = (db.client as { config?: { pool?: { max?: number } } }).config?.pool;
  return pool?.max !== undefined && pool.max <= 1;
}

const errorText = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

/**
 * The outbox table written by `enqueueEvents`, as an `OutboxStore` for the relay.
 *
 * On a PostgreSQL server each round is one transaction that claims rows `for update skip locked`
 * and holds them until the publish is acknowledged, so several relays (replicas) never publish
 * the same row; one relay keeps per-key order, several only keep it within their own batches.
 * With a single connection (PGlite) no transaction stays open across the publish — the service's
 * own writes would queue behind a broker outage — and rounds of every relay on that database run
 * one at a time in this process instead (`exclusive`; PGlite cannot be opened by a second process).
 *
 * @example startOutboxRelay({ store: knexOutboxStore(db, 'outbox'), bus });
 */
export function knexOutboxStore(db: Knex, table = DEFAULT_OUTBOX_TABLE): OutboxStore<OutboxRow> {
  const single = hasSingleConnection(db);

  const claim = (conn: Knex | Knex.Transaction, limit: number): Promise<OutboxRow[]> => {
    const query = conn(table)
      .select('id', 'topic', 'event_key', 'event', 'headers', 'attempts')
      .whereNull('published_at')
      .orderBy('id')
      .limit(limit);
    return single ? query : query.forUpdate().skipLocked();
  };

  const markPublished = async (conn: Knex | Knex.Transaction, rows: OutboxRow[]): Promise<void> => {
    if (rows.length === 0) return;
    await conn(table)
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ published_at: conn.fn.now() });
  };

  return {
    name: table,
    ...(single ? { exclusive: db } : {}),
    async round(limit, publish) {
      if (single) {
        const rows = await claim(db, limit);
        const outcome = await publish(rows);
        await markPublished(db, outcome.acked);
        return { ...outcome, claimed: rows.length };
      }
      return db.transaction(async (trx) => {
        const rows = await claim(trx, limit);
        const outcome = await publish(rows);
        // Acknowledged rows are marked even when another topic of the batch failed: rolling them
        // back would only publish them twice.
        await markPublished(trx, outcome.acked);
        return { ...outcome, claimed: rows.length };
      });
    },
    async recordFailure(rows, error) {
      if (rows.length === 0) return;
      // `skip locked`: rows another relay has claimed meanwhile are its business, never wait for them.
      const ids = db(table)
        .select('id')
        .whereIn(
          'id',
          rows.map((row) => row.id),
        );
      await db(table)
        .whereIn('id', single ? ids : ids.forUpdate().skipLocked())
        .update({ attempts: db.raw('attempts + 1'), last_error: errorText(error) });
    },
    countUnpublished: () => countUnpublished(db, table),
    async backlog() {
      const row = await db(table)
        .whereNull('published_at')
        .first(
          db.raw('count(*) as count'),
          db.raw('coalesce(extract(epoch from now() - min(created_at)), 0) as age'),
        );
      const { count, age } = (row ?? {}) as { count?: string | number; age?: string | number };
      return { count: Number(count ?? 0), oldestAgeSeconds: Math.max(0, Number(age ?? 0)) };
    },
  };
}
