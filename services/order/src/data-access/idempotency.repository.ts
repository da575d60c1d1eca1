import { conflict, type Knex } from '@cartwheel/kit';
import type { IdempotencyKeys, KeyClaim, KeyOutcome } from '../domain/ports.js';
import { fromJson } from './rows.js';

const TABLE = 'idempotency_keys';

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/**
 * Marks the key completed with the response, inside the transaction that inserts its order. Only
 * the attempt that still holds the claim may: if a stale claim was taken over meanwhile, this
 * attempt's order must not exist, so the transaction rolls back (and the reservation is released).
 */
export async function completeKey(trx: Knex.Transaction, orderId: string, key: KeyOutcome): Promise<void> {
  const updated = await trx(TABLE)
    .where({ user_id: key.user_id, key: key.key, order_id: orderId, state: 'in_progress' })
    .update({
      state: 'completed',
      response_status: key.status,
      response_body: JSON.stringify(key.body),
      completed_at: trx.fn.now(),
    });
  if (updated !== 1) {
    throw conflict(
      'idempotency_key_taken_over',
      'This request took too long and another request with the same Idempotency-Key took over',
    );
  }
}

/** Idempotency-Keys in PostgreSQL: one row per (user, key), claimed with INSERT … ON CONFLICT DO NOTHING. */
export function idempotencyKeys(db: Knex): IdempotencyKeys {
  return {
    async claim(key, staleAfterSec): Promise<KeyClaim> {
      const inserted = await db(TABLE)
        .insert({
          user_id: key.user_id,
          key: key.key,
          request_hash: key.request_hash,
          order_id: key.order_id,
        })
        .onConflict(['user_id', 'key'])
        .ignore()
        .returning('order_id');
      if (inserted.length === 1) return { kind: 'claimed', order_id: key.order_id };

      const row = (await db(TABLE)
        .select('request_hash', 'state', 'response_status', 'response_body')
        .where({ user_id: key.user_id, key: key.key })
        .first()) as KeyRow | undefined;
      // Freed by a failed attempt between our insert and this read: the caller claims again.
      if (!row) return { kind: 'in_progress' };
      if (row.request_hash !== key.request_hash) return { kind: 'mismatch' };
      if (row.state === 'completed') {
        return { kind: 'completed', status: row.response_status ?? 201, body: fromJson(row.response_body) };
      }
      const taken = await db(TABLE)
        .where({ user_id: key.user_id, key: key.key, state: 'in_progress' })
        .where('claimed_at', '<', db.raw('now() - make_interval(secs => ?)', [staleAfterSec]))
        .update({ order_id: key.order_id, claimed_at: db.fn.now() });
      return taken === 1 ? { kind: 'claimed', order_id: key.order_id } : { kind: 'in_progress' };
    },

    async release(userId, key, orderId) {
      await db(TABLE).where({ user_id: userId, key, order_id: orderId, state: 'in_progress' }).delete();
    },

    async purge(maxAgeSec) {
      return db(TABLE)
        .where('created_at', '<', db.raw('now() - make_interval(secs => ?)', [maxAgeSec]))
        .delete();
    },
  };
}
