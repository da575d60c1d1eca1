import { conflict, notFound } from '@cartwheel/kit';
import { applyChanges } from './apply-changes.js';
import type { InventoryTx, RunInTransaction } from './ports.js';
import { summarise, type Reservation, type ReservationLine } from './reservation.js';
import { assertWithinLimit, changeStock, type StockRecord } from './stock.js';

type Settled = 'released' | 'committed';

/**
 * Moves `lines` (all `reserved`) to `to` and their stock with them: releasing gives the units back
 * to available, committing (shipped) takes them out of reserved for good. Lines of several orders
 * may name one product (the sweeper's batches), so quantities are summed per product first.
 */
async function settleLines(tx: InventoryTx, lines: ReservationLine[], to: Settled): Promise<void> {
  const perProduct = new Map<string, number>();
  for (const line of lines)
    perProduct.set(line.product_id, (perProduct.get(line.product_id) ?? 0) + line.quantity);
  const records = await tx.lockStock([...perProduct.keys()]);
  const changes = records.map((record: StockRecord) => {
    const quantity = perProduct.get(record.product_id) as number;
    const reserved_quantity = record.reserved_quantity - quantity;
    if (to === 'committed') return changeStock(record, { reserved_quantity });
    assertWithinLimit(record.product_id, record.available_quantity + quantity);
    return changeStock(record, {
      reserved_quantity,
      available_quantity: record.available_quantity + quantity,
    });
  });
  await applyChanges(tx, changes);
  await tx.setReservationState(lines, to);
}

async function lockedLines(tx: InventoryTx, orderId: string): Promise<ReservationLine[]> {
  const lines = await tx.findReservation(orderId, { lock: true });
  if (lines.length === 0) throw notFound('Reservation', `No reservation for order ${orderId}`);
  return lines;
}

async function settleOrder(tx: InventoryTx, lines: ReservationLine[], to: Settled): Promise<Reservation> {
  const pending = lines.filter((line) => line.state === 'reserved');
  if (pending.length > 0) await settleLines(tx, pending, to);
  return summarise(lines.map((line) => (line.state === 'reserved' ? { ...line, state: to } : line)));
}

/**
 * Gives an order's reserved units back (order cancelled, or placing it failed after reserving).
 * Idempotent: a released reservation stays as it is. 404 for an unknown order; 409 once shipped.
 */
export async function releaseOrder(tx: InventoryTx, orderId: string): Promise<Reservation> {
  const lines = await lockedLines(tx, orderId);
  if (lines.some((line) => line.state === 'committed')) {
    throw conflict('reservation_committed', `The reservation of order ${orderId} was committed (shipped)`, {
      order_id: orderId,
    });
  }
  return settleOrder(tx, lines, 'released');
}

/**
 * Takes an order's reserved units out of stock for good (shipped). Idempotent; 404 for an unknown
 * order; 409 when the reservation was released (its units may be sold to someone else already).
 */
export async function commitOrder(tx: InventoryTx, orderId: string): Promise<Reservation> {
  const lines = await lockedLines(tx, orderId);
  if (lines.some((line) => line.state === 'released')) {
    throw conflict('reservation_released', `The reservation of order ${orderId} was released`, {
      order_id: orderId,
    });
  }
  return settleOrder(tx, lines, 'committed');
}

export const releaseReservation = (run: RunInTransaction, orderId: string): Promise<Reservation> =>
  run((tx) => releaseOrder(tx, orderId));

export const commitReservation = (run: RunInTransaction, orderId: string): Promise<Reservation> =>
  run((tx) => commitOrder(tx, orderId));

/**
 * Releases one batch of expired, unconfirmed reservations and resolves with how many lines it
 * released. Lines are claimed with SKIP LOCKED, so replicas sweeping at once split the work, and
 * a line a release or commit is working on is left to it.
 */
export async function releaseExpired(run: RunInTransaction, batchSize: number): Promise<number> {
  return run(async (tx) => {
    const lines = await tx.claimExpired(batchSize);
    if (lines.length > 0) await settleLines(tx, lines, 'released');
    return lines.length;
  });
}
