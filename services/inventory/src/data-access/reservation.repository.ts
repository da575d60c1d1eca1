import type { Knex } from 'knex';
import type { LineKey } from '../domain/ports.js';
import type { ReservationLine, ReservationState } from '../domain/reservation.js';
import { byProductId, toReservationLine, type ReservationRow } from './rows.js';

export const RESERVATIONS_TABLE = 'reservations';

/** First key of the two-key advisory locks on order ids, so they never collide with other uses. */
const ORDER_LOCK_SPACE = 4_083;

export async function lockOrder(trx: Knex.Transaction, orderId: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [ORDER_LOCK_SPACE, orderId]);
}

export async function findReservation(
  trx: Knex.Transaction,
  orderId: string,
  lock: boolean,
): Promise<ReservationLine[]> {
  const query = trx<ReservationRow>(RESERVATIONS_TABLE).where('order_id', orderId).orderBy('product_id');
  const rows = await (lock ? query.forNoKeyUpdate() : query);
  return rows.map(toReservationLine);
}

export async function insertReservation(
  trx: Knex.Transaction,
  orderId: string,
  items: Array<{ product_id: string; quantity: number }>,
  ttlSec: number,
): Promise<ReservationLine[]> {
  const expiresAt = trx.raw('now() + make_interval(secs => ?)', [ttlSec]);
  const rows = (await trx(RESERVATIONS_TABLE)
    .insert(items.map((item) => ({ order_id: orderId, ...item, expires_at: expiresAt })))
    .returning('*')) as ReservationRow[];
  return rows.map(toReservationLine).sort(byProductId);
}

export async function setReservationState(
  trx: Knex.Transaction,
  lines: LineKey[],
  state: ReservationState,
): Promise<void> {
  if (lines.length === 0) return;
  await trx(RESERVATIONS_TABLE)
    .whereIn(
      ['order_id', 'product_id'],
      lines.map((line) => [line.order_id, line.product_id]),
    )
    .update({ state, updated_at: trx.fn.now() });
}

export async function confirmReservation(trx: Knex.Transaction, orderId: string): Promise<number> {
  return trx(RESERVATIONS_TABLE)
    .where({ order_id: orderId, state: 'reserved' })
    .whereNull('confirmed_at')
    .update({ confirmed_at: trx.fn.now(), updated_at: trx.fn.now() });
}

export async function claimExpired(trx: Knex.Transaction, limit: number): Promise<ReservationLine[]> {
  const rows = await trx<ReservationRow>(RESERVATIONS_TABLE)
    .where('state', 'reserved')
    .whereNull('confirmed_at')
    .where('expires_at', '<=', trx.fn.now())
    .orderBy('expires_at')
    .limit(limit)
    .forNoKeyUpdate()
    .skipLocked();
  return rows.map(toReservationLine);
}
