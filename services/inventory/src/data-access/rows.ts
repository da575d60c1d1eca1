import type { ReservationLine } from '../domain/reservation.js';
import type { StockRecord } from '../domain/stock.js';

/** pg and PGlite hand timestamptz back as Date; the domain and the API speak ISO 8601 UTC. */
const iso = (value: Date | string): string => new Date(value).toISOString();

type Timestamps<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? Date | string | null : Date | string;
};

/** A stock record as the drivers return it. */
export type StockRow = Timestamps<StockRecord, 'created_at' | 'updated_at'>;

/** A reservation line as the drivers return it. */
export type ReservationRow = Timestamps<
  ReservationLine,
  'confirmed_at' | 'expires_at' | 'created_at' | 'updated_at'
>;

export const toStockRecord = (row: StockRow): StockRecord => ({
  id: Number(row.id),
  product_id: row.product_id,
  available_quantity: row.available_quantity,
  reserved_quantity: row.reserved_quantity,
  reorder_threshold: row.reorder_threshold,
  version: row.version,
  discontinued: row.discontinued,
  low_notified: row.low_notified,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const toReservationLine = (row: ReservationRow): ReservationLine => ({
  order_id: row.order_id,
  product_id: row.product_id,
  quantity: row.quantity,
  state: row.state,
  confirmed_at: row.confirmed_at === null ? null : iso(row.confirmed_at),
  expires_at: iso(row.expires_at),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const byProductId = <T extends { product_id: string }>(a: T, b: T): number =>
  a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0;
