import { createEvent, type CloudEvent } from '@cartwheel/kit';
import type { StockRecord } from './stock.js';

export const EVENT_SOURCE = '/services/inventory';

/** `stock.updated` data (common brief "Event contracts"); `stock` is the seed's name for available. */
export interface StockUpdatedData {
  product_id: string;
  available_quantity: number;
  reserved_quantity: number;
  version: number;
  stock: number;
}

/** `inventory.low` data. */
export interface InventoryLowData {
  product_id: string;
  available_quantity: number;
  reorder_threshold: number;
}

/**
 * The events of records just written: a `stock.updated` for each, plus an `inventory.low` for the
 * ones in `crossedLow` (they went below their threshold with this write). A discontinued product
 * is never reordered, so it raises no low-stock alarm.
 */
export function stockEvents(saved: StockRecord[], crossedLow: ReadonlySet<string>): CloudEvent[] {
  const events: CloudEvent[] = [];
  for (const record of saved) {
    const common = { source: EVENT_SOURCE, subject: record.product_id, time: record.updated_at };
    events.push(
      createEvent<StockUpdatedData>({
        ...common,
        type: 'stock.updated',
        data: {
          product_id: record.product_id,
          available_quantity: record.available_quantity,
          reserved_quantity: record.reserved_quantity,
          version: record.version,
          stock: record.available_quantity,
        },
      }),
    );
    if (crossedLow.has(record.product_id) && !record.discontinued) {
      events.push(
        createEvent<InventoryLowData>({
          ...common,
          type: 'inventory.low',
          data: {
            product_id: record.product_id,
            available_quantity: record.available_quantity,
            reorder_threshold: record.reorder_threshold,
          },
        }),
      );
    }
  }
  return events;
}
