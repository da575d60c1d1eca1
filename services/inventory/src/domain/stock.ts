import { AppError, conflict } from '@cartwheel/kit';

/** One product's stock, as stored (DESIGN §6 "inventory"). Timestamps are ISO 8601 UTC. */
export interface StockRecord {
  id: number;
  product_id: string;
  available_quantity: number;
  reserved_quantity: number;
  reorder_threshold: number;
  /** Starts at 1 and grows by 1 on every change of the record (stock.updated carries it). */
  version: number;
  /** The product was deleted from the catalog: no new reservations. */
  discontinued: boolean;
  /** An inventory.low was emitted for the current stay below the threshold. */
  low_notified: boolean;
  created_at: string;
  updated_at: string;
}

/** The fields a change may set. */
export interface StockLevels {
  available_quantity: number;
  reserved_quantity: number;
  reorder_threshold: number;
  discontinued: boolean;
}

/** What to write for one record; `lowCrossed` when this change takes it below its threshold. */
export interface StockChange extends StockLevels {
  product_id: string;
  low_notified: boolean;
  lowCrossed: boolean;
}

/** A record to create. */
export interface NewStock {
  product_id: string;
  available_quantity: number;
  reorder_threshold: number;
  low_notified: boolean;
}

/** Upper bound of any stored quantity: far above real stock, well inside PostgreSQL's `integer`. */
export const MAX_STOCK = 1_000_000_000;

/** 10 % of the initial quantity, at least 1 (seed 000: 50 → 5, 100 → 10). */
export function defaultReorderThreshold(initialQuantity: number): number {
  return Math.max(1, Math.floor(initialQuantity / 10));
}

/** Low stock: fewer available than the reorder threshold. */
export const isLow = (levels: Pick<StockLevels, 'available_quantity' | 'reorder_threshold'>): boolean =>
  levels.available_quantity < levels.reorder_threshold;

/**
 * A new record. It starts "notified" when it starts low: the inventory.low of that first crossing
 * is emitted with its creation.
 */
export function newStock(
  product_id: string,
  available_quantity: number,
  reorder_threshold?: number,
): NewStock {
  const threshold = reorder_threshold ?? defaultReorderThreshold(available_quantity);
  return {
    product_id,
    available_quantity,
    reorder_threshold: threshold,
    low_notified: isLow({ available_quantity, reorder_threshold: threshold }),
  };
}

/**
 * The change that takes `before` to `next`. inventory.low fires once per crossing: `low_notified`
 * follows "is low" on every write, and the crossing is the write that turns it from false to true.
 */
export function changeStock(before: StockRecord, next: Partial<StockLevels>): StockChange {
  const levels: StockLevels = {
    available_quantity: next.available_quantity ?? before.available_quantity,
    reserved_quantity: next.reserved_quantity ?? before.reserved_quantity,
    reorder_threshold: next.reorder_threshold ?? before.reorder_threshold,
    discontinued: next.discontinued ?? before.discontinued,
  };
  if (levels.available_quantity < 0 || levels.reserved_quantity < 0) {
    // Callers check their rule first (409 with a reason); reaching this is a bug, not a client error.
    throw new AppError('negative_stock', 500, 'Stock would go below zero', { operational: false });
  }
  const low = isLow(levels);
  return {
    product_id: before.product_id,
    ...levels,
    low_notified: low,
    lowCrossed: low && !before.low_notified,
  };
}

/** 409 when `quantity` would leave the stored range (integer overflow is a client problem, not a 500). */
export function assertWithinLimit(product_id: string, quantity: number): void {
  if (quantity > MAX_STOCK) {
    throw conflict('stock_limit_exceeded', `${product_id} would hold more than ${MAX_STOCK} units`, {
      product_id,
      limit: MAX_STOCK,
    });
  }
}
