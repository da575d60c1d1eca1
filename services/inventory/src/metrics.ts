import { AppError, type Knex, type Logger } from '@cartwheel/kit';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { InventoryStore } from './data-access/inventory.store.js';
import type { InventoryTx, LineKey, StockQueries } from './domain/ports.js';

export type ReservationResult = 'ok' | 'short' | 'expired' | 'released' | 'committed';

/**
 * The inventory's business series: `inventory_reservations_total{result}` (one per order:
 * reserved, refused as short, released by the sweeper after its TTL, released, committed) and
 * `inventory_low_stock_products` (records below their reorder threshold, read at each
 * scrape). Labels are the five results only — never product or order ids.
 */
export interface InventoryMetrics {
  reservations: Counter<'result'>;
}

export function createInventoryMetrics(
  registry: Registry,
  queries: StockQueries,
  logger: Logger,
): InventoryMetrics {
  let lastLow = 0;
  new Gauge({
    name: 'inventory_low_stock_products',
    help: 'Products whose available stock is below their reorder threshold (discontinued ones excluded)',
    registers: [registry],
    async collect() {
      try {
        lastLow = (await queries.listStock({ lowStock: true, limit: 1, offset: 0 })).total;
      } catch (error) {
        // A scrape while the database is away keeps the last value rather than failing /metrics.
        logger.warn({ err: error }, 'inventory_low_stock_products: count failed');
      }
      this.set(lastLow);
    },
  });
  return {
    reservations: new Counter({
      name: 'inventory_reservations_total',
      help: 'Reservation outcomes per order: ok (reserved), short (refused), expired (released after its TTL), released, committed',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}

const ordersOf = (lines: LineKey[]) => new Set(lines.map((line) => line.order_id)).size;

/**
 * Watches one transaction's unit of work and reports, per order, what it did to reservations:
 * a new reservation (ok), lines settled as released or committed — released by the sweeper's
 * claim of expired lines counts as expired.
 */
function watched(tx: InventoryTx, seen: (result: ReservationResult, orders: number) => void): InventoryTx {
  let sweeping = false;
  return {
    ...tx,
    claimExpired: async (limit) => {
      sweeping = true;
      return tx.claimExpired(limit);
    },
    writeReservation: async (orderId, changes, items, ttlSec) => {
      const written = await tx.writeReservation(orderId, changes, items, ttlSec);
      if (written.created) seen('ok', 1);
      return written;
    },
    setReservationState: async (lines, state) => {
      await tx.setReservationState(lines, state);
      if (state !== 'reserved') seen(sweeping ? 'expired' : state, ordersOf(lines));
    },
  };
}

/**
 * The store with `inventory_reservations_total` counted after commit (a rolled back transaction
 * counts nothing; a refused reservation counts as short). Wrap it once and give the result to
 * both the app and the consumers.
 */
export function measuredStore(store: InventoryStore, metrics: InventoryMetrics): InventoryStore {
  const count = (results: Array<[ReservationResult, number]>) => {
    for (const [result, orders] of results) metrics.reservations.inc({ result }, orders);
  };
  return {
    ...store,
    run: async (work) => {
      const results: Array<[ReservationResult, number]> = [];
      try {
        const value = await store.run((tx) => work(watched(tx, (...r) => results.push(r))));
        count(results);
        return value;
      } catch (error) {
        if (error instanceof AppError && error.code === 'insufficient_stock') count([['short', 1]]);
        throw error;
      }
    },
    inTransaction: (trx: Knex.Transaction) => {
      const results: Array<[ReservationResult, number]> = [];
      // The consumer's transaction is committed by its caller: count once it is.
      trx.executionPromise.then(
        () => count(results),
        () => undefined,
      );
      return watched(store.inTransaction(trx), (...r) => results.push(r));
    },
  };
}
