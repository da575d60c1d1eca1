import type { CloudEvent } from '@cartwheel/kit';
import type { ReservationLine, ReservationState } from './reservation.js';
import type { NewStock, StockChange, StockRecord } from './stock.js';

/** One (order, product) pair of a reservation. */
export interface LineKey {
  order_id: string;
  product_id: string;
}

/** An audit entry for an admin's stock correction. */
export interface StockAdjustment {
  product_id: string;
  delta: number;
  reason: string;
  actor: string;
}

/**
 * Everything a use case does inside one database transaction (data-access implements it). Locks
 * are always taken in the same order — reservation lines, then stock records sorted by product
 * id — so concurrent transactions wait for each other instead of deadlocking.
 */
export interface InventoryTx {
  /** Locks and returns the records of `productIds` that exist, in product id order. */
  lockStock(productIds: string[]): Promise<StockRecord[]>;
  /** Inserts the records that do not exist yet; returns only the ones it inserted. */
  insertStock(rows: NewStock[]): Promise<StockRecord[]>;
  /** Writes changes to locked records, each one's version + 1; returns the records as written. */
  saveStock(changes: StockChange[]): Promise<StockRecord[]>;
  /** The lines of one order, in product id order; `lock` locks them for update. */
  findReservation(orderId: string, options?: { lock?: boolean }): Promise<ReservationLine[]>;
  /**
   * Locks the records of `productIds` in product id order and reads the lines `orderId` holds.
   * Lines committed by another call while this one waited for the locks may be missing.
   */
  lockStockForOrder(
    orderId: string,
    productIds: string[],
  ): Promise<{ records: StockRecord[]; existing: ReservationLine[] }>;
  /**
   * Writes reservation changes to locked records (each one's version + 1) and a new order's
   * `reserved` lines expiring `ttlSec` from the transaction's start. `created` is false when
   * another call created this order id first: nothing of the order was written, roll back.
   */
  writeReservation(
    orderId: string,
    changes: StockChange[],
    items: Array<{ product_id: string; quantity: number }>,
    ttlSec: number,
  ): Promise<{ created: boolean; saved: StockRecord[]; lines: ReservationLine[] }>;
  setReservationState(lines: LineKey[], state: ReservationState): Promise<void>;
  /** Marks an order's lines confirmed (they no longer expire); returns how many were unconfirmed. */
  confirmReservation(orderId: string): Promise<number>;
  /** Claims up to `limit` expired, unconfirmed `reserved` lines, skipping lines other transactions hold. */
  claimExpired(limit: number): Promise<ReservationLine[]>;
  recordAdjustment(adjustment: StockAdjustment): Promise<void>;
  /** Writes events to the outbox, committed with the transaction. */
  publish(events: CloudEvent[]): Promise<void>;
}

/** Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws. */
export type RunInTransaction = <T>(work: (tx: InventoryTx) => Promise<T>) => Promise<T>;

export interface StockPage {
  records: StockRecord[];
  total: number;
}

/** Reads that need no transaction. */
export interface StockQueries {
  findStock(productId: string): Promise<StockRecord | undefined>;
  /** `lowStock`: true → only low (and not discontinued) records, false → only the others. */
  listStock(filter: { lowStock?: boolean; limit: number; offset: number }): Promise<StockPage>;
}
