import { applyChanges } from './apply-changes.js';
import type { RunInTransaction } from './ports.js';
import {
  assertSameItems,
  planReservation,
  summarise,
  type Reservation,
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

/**
 * Reserves every item or none, in one transaction (DESIGN §8 step 2). The database keeps it
 * correct under any concurrency: the order id is locked first (a repeat waits, then finds the
 * first call's lines), then the stock records in product id order (no deadlocks between orders
 * naming the same products in different orders), and the CHECK constraints keep quantities ≥ 0.
 *
 * @example const { created, reservation } = await reserveStock(run, { order_id, items }, 900);
 */
export async function reserveStock(
  run: RunInTransaction,
  request: ReserveRequest,
  ttlSec: number,
): Promise<ReserveOutcome> {
  return run(async (tx) => {
    await tx.lockOrder(request.order_id);
    const existing = await tx.findReservation(request.order_id);
    if (existing.length > 0) {
      assertSameItems(existing, request.items);
      return { created: false, reservation: summarise(existing) };
    }
    const records = await tx.lockStock(request.items.map((item) => item.product_id));
    await applyChanges(tx, planReservation(records, request.items));
    const lines = await tx.insertReservation(request.order_id, request.items, ttlSec);
    return { created: true, reservation: summarise(lines) };
  });
}
