import { enqueueEvents } from '@cartwheel/kit';
import type { Knex } from 'knex';
import type { InventoryTx, RunInTransaction, StockQueries } from '../domain/ports.js';
import * as reservations from './reservation.repository.js';
import { insertStock, lockStock, saveStock, stockQueries } from './stock.repository.js';

export interface InventoryStoreOptions {
  /** Topic of stock.updated and inventory.low (default `inventory`). */
  topic?: string;
  /** Called after every committed transaction (wakes the outbox relay). */
  onCommit?: () => void;
}

export interface InventoryStore {
  run: RunInTransaction;
  /** The unit of work on a transaction someone else opened (the idempotent consumer's). */
  inTransaction(trx: Knex.Transaction): InventoryTx;
  queries: StockQueries;
}

/** The inventory's PostgreSQL (server or PGlite) behind the domain's ports. */
export function createInventoryStore(db: Knex, options: InventoryStoreOptions = {}): InventoryStore {
  const topic = options.topic ?? 'inventory';
  const inTransaction = (trx: Knex.Transaction): InventoryTx => ({
    lockStockForOrder: (orderId, productIds) => reservations.lockStockForOrder(trx, orderId, productIds),
    lockStock: (productIds) => lockStock(trx, productIds),
    insertStock: (rows) => insertStock(trx, rows),
    saveStock: (changes) => saveStock(trx, changes),
    findReservation: (orderId, opts) => reservations.findReservation(trx, orderId, opts?.lock ?? false),
    writeReservation: (orderId, changes, items, ttlSec) =>
      reservations.writeReservation(trx, orderId, changes, items, ttlSec),
    setReservationState: (lines, state) => reservations.setReservationState(trx, lines, state),
    confirmReservation: (orderId) => reservations.confirmReservation(trx, orderId),
    claimExpired: (limit) => reservations.claimExpired(trx, limit),
    recordAdjustment: async (adjustment) => {
      await trx('stock_adjustments').insert(adjustment);
    },
    publish: async (events) => {
      await enqueueEvents(trx, topic, events);
    },
  });
  const run: RunInTransaction = async (work) => {
    const result = await db.transaction((trx) => work(inTransaction(trx)));
    options.onCommit?.();
    return result;
  };
  return { run, inTransaction, queries: stockQueries(db) };
}
