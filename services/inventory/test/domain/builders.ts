import type { ReservationLine } from '../../src/domain/reservation.js';
import type { StockRecord } from '../../src/domain/stock.js';

/** A stored record of `p1` (10 available, threshold 5) with `overrides`. */
export const stockRecord = (overrides: Partial<StockRecord> = {}): StockRecord => ({
  id: 1,
  product_id: 'p1',
  available_quantity: 10,
  reserved_quantity: 0,
  reorder_threshold: 5,
  version: 1,
  discontinued: false,
  low_notified: false,
  created_at: '2025-05-15T11:40:00.000Z',
  updated_at: '2025-05-15T11:40:00.000Z',
  ...overrides,
});

/** A `reserved` line of order `o1`. */
export const reservationLine = (
  product_id: string,
  quantity: number,
  overrides: Partial<ReservationLine> = {},
): ReservationLine => ({
  order_id: 'o1',
  product_id,
  quantity,
  state: 'reserved',
  confirmed_at: null,
  expires_at: '2025-05-15T12:00:00.000Z',
  created_at: '2025-05-15T11:45:00.000Z',
  updated_at: '2025-05-15T11:45:00.000Z',
  ...overrides,
});
