import type { InventoryTx } from './ports.js';
import { stockEvents } from './stock-events.js';
import type { StockChange, StockRecord } from './stock.js';

/** Publishes the events of records just written by `changes`: stock.updated, and inventory.low where they crossed. */
export async function publishChanges(
  tx: InventoryTx,
  saved: StockRecord[],
  changes: StockChange[],
): Promise<void> {
  const crossedLow = new Set(
    changes.filter((change) => change.lowCrossed).map((change) => change.product_id),
  );
  await tx.publish(stockEvents(saved, crossedLow));
}

/** Writes changes to locked records and, in the same transaction, their stock.updated / inventory.low events. */
export async function applyChanges(tx: InventoryTx, changes: StockChange[]): Promise<StockRecord[]> {
  if (changes.length === 0) return [];
  const saved = await tx.saveStock(changes);
  await publishChanges(tx, saved, changes);
  return saved;
}

/** Publishes new records' first stock.updated (and inventory.low when they start low). */
export async function publishCreated(tx: InventoryTx, created: StockRecord[]): Promise<void> {
  const startLow = new Set(
    created.filter((record) => record.low_notified).map((record) => record.product_id),
  );
  await tx.publish(stockEvents(created, startLow));
}
