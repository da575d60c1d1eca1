import { AppError, conflict, type FieldError } from '@cartwheel/kit';
import { changeStock, type StockChange, type StockRecord } from './stock.js';

export type ReservationState = 'reserved' | 'released' | 'committed';

/** One product of one order's reservation, as stored. */
export interface ReservationLine {
  order_id: string;
  product_id: string;
  quantity: number;
  state: ReservationState;
  /** Set by order.placed: a confirmed reservation never expires. */
  confirmed_at: string | null;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

export interface ReserveItem {
  product_id: string;
  quantity: number;
}

/** What the API answers for an order's reservation. */
export interface Reservation {
  order_id: string;
  /** The lines' state; `mixed` only when the sweeper released some lines while a commit took others. */
  state: ReservationState | 'mixed';
  confirmed: boolean;
  expires_at: string;
  items: Array<{ product_id: string; quantity: number; state: ReservationState }>;
}

/** A short item in a 409: what was asked and what is left. */
export interface Shortfall {
  product_id: string;
  requested: number;
  available: number;
}

export function summarise(lines: ReservationLine[]): Reservation {
  const states = new Set(lines.map((line) => line.state));
  return {
    order_id: lines[0].order_id,
    state: states.size === 1 ? lines[0].state : 'mixed',
    confirmed: lines.every((line) => line.confirmed_at !== null),
    expires_at: lines.reduce(
      (min, line) => (line.expires_at < min ? line.expires_at : min),
      lines[0].expires_at,
    ),
    items: lines.map(({ product_id, quantity, state }) => ({ product_id, quantity, state })),
  };
}

/**
 * A repeated reserve must ask for exactly what the order already holds; anything else reuses an
 * order id for a different order, which the caller must hear about.
 */
export function assertSameItems(existing: ReservationLine[], items: ReserveItem[]): void {
  const held = new Map(existing.map((line) => [line.product_id, line.quantity]));
  const same =
    held.size === items.length && items.every((item) => held.get(item.product_id) === item.quantity);
  if (!same) {
    throw new AppError('order_id_conflict', 409, 'Conflict', {
      detail: `order_id ${existing[0].order_id} already holds a reservation with different items`,
      errors: [{ path: 'order_id', message: 'already used for a reservation with different items' }],
    });
  }
  if (existing.some((line) => line.state === 'released')) {
    throw conflict(
      'reservation_released',
      `The reservation of order ${existing[0].order_id} was released (expired or cancelled); reserve with a new order_id`,
      { order_id: existing[0].order_id },
    );
  }
}

const itemPath = (index: number, field: keyof ReserveItem) => `items.${index}.${field}`;

/**
 * Checks every item against the locked records and returns the changes that reserve them all, or
 * throws without changing anything: 422 for products without stock, 409 for discontinued
 * products, 409 listing every short item with what is available.
 */
export function planReservation(records: StockRecord[], items: ReserveItem[]): StockChange[] {
  const byProduct = new Map(records.map((record) => [record.product_id, record]));
  const unknown: FieldError[] = [];
  const discontinued: FieldError[] = [];
  const short: Array<Shortfall & { index: number }> = [];
  items.forEach((item, index) => {
    const record = byProduct.get(item.product_id);
    if (!record)
      unknown.push({ path: itemPath(index, 'product_id'), message: `no stock for ${item.product_id}` });
    else if (record.discontinued) {
      discontinued.push({
        path: itemPath(index, 'product_id'),
        message: `${item.product_id} is discontinued`,
      });
    } else if (record.available_quantity < item.quantity) {
      short.push({
        index,
        product_id: item.product_id,
        requested: item.quantity,
        available: record.available_quantity,
      });
    }
  });
  if (unknown.length > 0) {
    throw new AppError('unknown_product', 422, 'Unprocessable Content', {
      detail: unknown.map((e) => e.message).join('; '),
      errors: unknown,
    });
  }
  if (discontinued.length > 0) {
    throw new AppError('product_discontinued', 409, 'Conflict', {
      detail: discontinued.map((e) => e.message).join('; '),
      errors: discontinued,
    });
  }
  if (short.length > 0) {
    throw new AppError('insufficient_stock', 409, 'Conflict', {
      detail: `Not enough stock: ${short.map((s) => `${s.product_id} (requested ${s.requested}, available ${s.available})`).join(', ')}`,
      errors: short.map((s) => ({
        path: itemPath(s.index, 'quantity'),
        message: `requested ${s.requested}, available ${s.available}`,
      })),
      extensions: {
        items: short.map(({ product_id, requested, available }) => ({ product_id, requested, available })),
      },
    });
  }
  return items.map((item) => {
    const record = byProduct.get(item.product_id) as StockRecord;
    return changeStock(record, {
      available_quantity: record.available_quantity - item.quantity,
      reserved_quantity: record.reserved_quantity + item.quantity,
    });
  });
}
