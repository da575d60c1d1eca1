import type { Knex } from 'knex';
import type { LineKey } from '../domain/ports.js';
import type { ReservationLine, ReservationState } from '../domain/reservation.js';
import type { StockChange, StockRecord } from '../domain/stock.js';
import { byProductId, toReservationLine, toStockRecord, type ReservationRow, type StockRow } from './rows.js';
import { STOCK_TABLE, updateStockStatement } from './stock.repository.js';

export const RESERVATIONS_TABLE = 'reservations';
const ORDERS_TABLE = 'reservation_orders';

export async function findReservation(
  trx: Knex.Transaction,
  orderId: string,
  lock: boolean,
): Promise<ReservationLine[]> {
  const query = trx<ReservationRow>(RESERVATIONS_TABLE).where('order_id', orderId).orderBy('product_id');
  const rows = await (lock ? query.forNoKeyUpdate() : query);
  return rows.map(toReservationLine);
}

const placeholders = (count: number, each: string): string =>
  Array.from({ length: count }, () => each).join(', ');

/**
 * Locks the records of `productIds` in product id order and, in the same statement, reads the
 * lines `orderId` already holds. That read sees the database as of the statement's start: lines
 * another call committed while this one waited for the locks are missing, and `writeReservation`
 * then reports the race.
 */
export async function lockStockForOrder(
  trx: Knex.Transaction,
  orderId: string,
  productIds: string[],
): Promise<{ records: StockRecord[]; existing: ReservationLine[] }> {
  const result = (await trx.raw(
    `select i.*,
            (select coalesce(json_agg(r order by r.product_id), '[]'::json)
               from ${RESERVATIONS_TABLE} r where r.order_id = ?) as order_lines
       from ${STOCK_TABLE} i
      where i.product_id in (${placeholders(productIds.length, '?')})
      order by i.product_id
        for no key update of i`,
    [orderId, ...productIds],
  )) as { rows: Array<StockRow & { order_lines: ReservationRow[] }> };
  return {
    records: result.rows.map(toStockRecord),
    existing: (result.rows[0]?.order_lines ?? []).map(toReservationLine),
  };
}

/**
 * One statement: writes the stock changes, claims the order id, and inserts the order's lines
 * expiring `ttlSec` from the transaction's start. `created` is false when another call claimed
 * the order id first; its lines are then not inserted and the caller must roll back.
 */
export async function writeReservation(
  trx: Knex.Transaction,
  orderId: string,
  changes: StockChange[],
  items: Array<{ product_id: string; quantity: number }>,
  ttlSec: number,
): Promise<{ created: boolean; saved: StockRecord[]; lines: ReservationLine[] }> {
  const update = updateStockStatement(changes);
  const result = (await trx.raw(
    `with saved as (${update.sql} returning i.*),
          claimed as (
            insert into ${ORDERS_TABLE} (order_id) values (?) on conflict do nothing returning order_id),
          lines as (
            insert into ${RESERVATIONS_TABLE} (order_id, product_id, quantity, expires_at)
            select claimed.order_id, l.product_id, l.quantity, now() + make_interval(secs => ?)
              from claimed, (values ${placeholders(items.length, '(?::varchar, ?::integer)')}) as l (product_id, quantity)
            returning *)
     select (select coalesce(json_agg(saved), '[]'::json) from saved) as saved,
            (select coalesce(json_agg(lines), '[]'::json) from lines) as lines`,
    [...update.bindings, orderId, ttlSec, ...items.flatMap((item) => [item.product_id, item.quantity])],
  )) as { rows: Array<{ saved: StockRow[]; lines: ReservationRow[] }> };
  const { saved, lines } = result.rows[0];
  return {
    created: lines.length > 0,
    saved: saved.map(toStockRecord).sort(byProductId),
    lines: lines.map(toReservationLine).sort(byProductId),
  };
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
