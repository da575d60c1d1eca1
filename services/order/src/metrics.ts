import { AppError } from '@cartwheel/kit';
import { Counter, type Registry } from 'prom-client';
import type { OrderStatus } from './domain/order.js';
import type { OrderStore } from './domain/ports.js';

/**
 * The order service's business series (README "Metrics"). Labels are bounded: currency codes,
 * the five statuses, and the problem codes placing can answer — never ids or amounts.
 */
export interface OrderMetrics {
  placed: Counter<'currency'>;
  placedValue: Counter<'currency'>;
  transitions: Counter<'from' | 'to'>;
  rejected: Counter<'reason'>;
}

export function createOrderMetrics(registry: Registry): OrderMetrics {
  return {
    placed: new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed (committed with their order.placed event), by currency',
      labelNames: ['currency'] as const,
      registers: [registry],
    }),
    placedValue: new Counter({
      name: 'orders_placed_value_total',
      help: 'Sum of the totals of placed orders in major units (revenue before cancellations), by currency',
      labelNames: ['currency'] as const,
      registers: [registry],
    }),
    transitions: new Counter({
      name: 'order_status_transitions_total',
      help: 'Committed status changes, by from and to status',
      labelNames: ['from', 'to'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'order_place_rejections_total',
      help: 'Order placements refused, by problem code (insufficient_stock, price_changed, unknown_product, catalog_unavailable, …)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

/** Counts what the store committed: a placed order or a status change, only once its transaction succeeded. */
export function measuredStore(store: OrderStore, metrics: OrderMetrics): OrderStore {
  return {
    ...store,
    insertOrder: async (order, events, key) => {
      await store.insertOrder(order, events, key);
      metrics.placed.inc({ currency: order.currency });
      metrics.placedValue.inc({ currency: order.currency }, order.total_cents / 100);
    },
    updateLocked: async (id, decide) => {
      let change: { from: OrderStatus; to: OrderStatus } | undefined;
      const order = await store.updateLocked(id, async (current) => {
        const decided = await decide(current);
        change = decided && { from: decided.from, to: decided.order.status };
        return decided;
      });
      if (change) metrics.transitions.inc(change);
      return order;
    },
  };
}

/** Counts a refused placement by its problem code (a malformed Idempotency-Key included), then rethrows. */
export async function countingRejections<T>(metrics: OrderMetrics, place: () => Promise<T>): Promise<T> {
  try {
    return await place();
  } catch (error) {
    metrics.rejected.inc({ reason: error instanceof AppError ? error.code : 'internal' });
    throw error;
  }
}
