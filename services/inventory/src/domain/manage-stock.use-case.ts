import { AppError, conflict, notFound } from '@cartwheel/kit';
import { applyChanges, publishCreated } from './apply-changes.js';
import type { InventoryTx, RunInTransaction } from './ports.js';
import { assertWithinLimit, changeStock, newStock, type StockLevels, type StockRecord } from './stock.js';

export interface CreateStockInput {
  product_id: string;
  available_quantity: number;
  reorder_threshold?: number;
}

/** Creates a record (admin); 409 when the product already has one. */
export async function createStock(run: RunInTransaction, input: CreateStockInput): Promise<StockRecord> {
  return run(async (tx) => {
    const [created] = await tx.insertStock([
      newStock(input.product_id, input.available_quantity, input.reorder_threshold),
    ]);
    if (!created) {
      throw new AppError('inventory_exists', 409, 'Conflict', {
        detail: `Inventory for ${input.product_id} already exists`,
        errors: [{ path: 'product_id', message: 'already has an inventory record' }],
      });
    }
    await publishCreated(tx, [created]);
    return created;
  });
}

/**
 * The record for a product the catalog just created, with the product's quantity and the default
 * threshold. A product that already has one (a redelivery, or an admin was first) keeps it.
 * Resolves true when it created the record.
 */
export async function createStockForProduct(
  tx: InventoryTx,
  product: { _id: string; quantity: number },
): Promise<boolean> {
  const created = await tx.insertStock([newStock(product._id, product.quantity)]);
  await publishCreated(tx, created);
  return created.length > 0;
}

/** Locks one record, applies what `compute` returns, publishes; 404 when there is no record. */
async function changeOne(
  tx: InventoryTx,
  productId: string,
  compute: (record: StockRecord) => Partial<StockLevels>,
): Promise<StockRecord> {
  const [record] = await tx.lockStock([productId]);
  if (!record) throw notFound('Inventory', `No inventory for product ${productId}`);
  const [saved] = await applyChanges(tx, [changeStock(record, compute(record))]);
  return saved;
}

/** Sets available quantity and/or threshold (admin). Reserved units are the reservations' business. */
export async function updateStock(
  run: RunInTransaction,
  productId: string,
  update: { available_quantity?: number; reorder_threshold?: number },
): Promise<StockRecord> {
  return run((tx) => changeOne(tx, productId, () => update));
}

export interface AdjustInput {
  product_id: string;
  /** Non-zero; negative takes units out (damage, loss), positive adds them (restock, found). */
  delta: number;
  reason: string;
  /** Who asked (token subject), kept with the reason. */
  actor: string;
}

/** Corrects available stock by `delta` and keeps why; 409 when it would go below zero. */
export async function adjustStock(run: RunInTransaction, input: AdjustInput): Promise<StockRecord> {
  return run(async (tx) => {
    const saved = await changeOne(tx, input.product_id, (record) => {
      const available_quantity = record.available_quantity + input.delta;
      if (available_quantity < 0) {
        throw conflict(
          'insufficient_stock',
          `${input.product_id} has ${record.available_quantity} available; cannot take out ${-input.delta}`,
          { product_id: input.product_id, available: record.available_quantity, delta: input.delta },
        );
      }
      assertWithinLimit(input.product_id, available_quantity);
      return { available_quantity };
    });
    await tx.recordAdjustment(input);
    return saved;
  });
}

/** Adds received units (`quantity` > 0); an adjustment with reason `restock`. */
export const restock = (
  run: RunInTransaction,
  productId: string,
  quantity: number,
  actor: string,
): Promise<StockRecord> =>
  adjustStock(run, { product_id: productId, delta: quantity, reason: 'restock', actor });

/**
 * Marks a deleted product's record discontinued: no new reservations, existing ones still settle.
 * Resolves false when there is no record or it already was.
 */
export async function discontinueStock(tx: InventoryTx, productId: string): Promise<boolean> {
  const [record] = await tx.lockStock([productId]);
  if (!record || record.discontinued) return false;
  await applyChanges(tx, [changeStock(record, { discontinued: true })]);
  return true;
}
