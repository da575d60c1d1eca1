import { publishChanges } from './apply-changes.js';
import type { InventoryTx, RunInTransaction } from './ports.js';
import {
  assertSameItems,
  planReservation,
  summarise,
  type Reservation,
  type ReservationLine,
  type ReserveItem,
} from './reservation.js';

export interface ReserveRequest {
  order_id: string;
  /** Distinct product ids (the HTTP layer rejects duplicates). */
  items: ReserveItem[];
}

export interface ReserveOutcome {
  /** false when the order already held exactly this reservation and nothing changed. */
  created: boolean;
  reservation: Reservation;
}

/** Another call created this order id while this one ran: roll back and look again. */
class OrderCreatedMeanwhile extends Error {}

const repeated = (existing: ReservationLine[], items: ReserveItem[]): ReserveOutcome => {
  assertSameItems(existing, items);
  return { created: false, reservation: summarise(existing) };
};

async function reserveOnce(
  tx: InventoryTx,
  request: ReserveRequest,
  ttlSec: number,
): Promise<ReserveOutcome> {
  const { order_id, items } = request;
  const { records, existing } = await tx.lockStockForOrder(
    order_id,
    items.map((item) => item.product_id),
  );
  if (existing.length > 0) return repeated(existing, items);
  let changes;
  try {
    changes = planReservation(records, items);
  } catch (refusal) {
    // A first call with this order id may have taken the stock while this one waited for the
    // locks: then this is its repeat, not a shortfall.
    const created = await tx.findReservation(order_id);
    if (created.length > 0) return repeated(created, items);
    throw refusal;
  }
  const written = await tx.writeReservation(order_id, changes, items, ttlSec);
  if (!written.created) throw new OrderCreatedMeanwhile();
  await publishChanges(tx, written.saved, changes);
  return { created: true, reservation: summarise(written.lines) };
}

/**
 * Reserves every item or none, in one transaction (DESIGN §8 step 2) of three statements: lock
 * the stock records in product id order (orders naming the same products in different orders
 * wait for each other instead of deadlocking) while reading what the order already holds; write
 * the stock, the order id and its lines; enqueue the events. The order id's primary key
 * decides between two first calls of one order, whatever products they name; the loser rolls
 * back and answers as a repeat. CHECK constraints keep every quantity ≥ 0 whatever happens.
 *
 * @example const { created, reservation } = await reserveStock(run, { order_id, items }, 900);
 */
export async function reserveStock(
  run: RunInTransaction,
  request: ReserveRequest,
  ttlSec: number,
): Promise<ReserveOutcome> {
  try {
    return await run((tx) => reserveOnce(tx, request, ttlSec));
  } catch (error) {
    if (!(error instanceof OrderCreatedMeanwhile)) throw error;
    // The other call has committed: this run finds its lines.
    return run((tx) => reserveOnce(tx, request, ttlSec));
  }
}
