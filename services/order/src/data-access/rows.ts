import type { Address, Order, OrderLine, OrderStatus } from '../domain/order.js';

/** An `orders` row as pg and PGlite return it. */
export interface OrderRow {
  id: string;
  user_id: string;
  user_email: string | null;
  status: OrderStatus;
  currency: string;
  /** bigint: pg returns a string, PGlite a number. */
  total_cents: string | number;
  shipping_address: Address | string;
  created_at: Date | string;
  updated_at: Date | string;
}

/** An `order_items` row. */
export interface OrderItemRow {
  order_id: string;
  position: number;
  product_id: string;
  name: string;
  quantity: number;
  unit_price_cents: string | number;
}

/** pg and PGlite hand timestamptz back as Date; the domain speaks ISO 8601 UTC. */
export const iso = (value: Date | string): string => new Date(value).toISOString();

/** jsonb comes back parsed from pg; written as text so both drivers store the same thing. */
export const fromJson = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value;

export const ORDER_COLUMNS = [
  'id',
  'user_id',
  'user_email',
  'status',
  'currency',
  'total_cents',
  'shipping_address',
  'created_at',
  'updated_at',
];
export const ITEM_COLUMNS = ['order_id', 'position', 'product_id', 'name', 'quantity', 'unit_price_cents'];

export const toOrderRow = (order: Order) => ({
  id: order.id,
  user_id: order.user_id,
  user_email: order.user_email,
  status: order.status,
  currency: order.currency,
  total_cents: order.total_cents,
  shipping_address: JSON.stringify(order.shipping_address),
  created_at: order.created_at,
  updated_at: order.updated_at,
});

export const toItemRows = (order: Order): OrderItemRow[] =>
  order.items.map((line, position) => ({ order_id: order.id, position, ...line }));

const toLine = (row: OrderItemRow): OrderLine => ({
  product_id: row.product_id,
  name: row.name,
  quantity: row.quantity,
  unit_price_cents: Number(row.unit_price_cents),
});

/** Orders with their lines (`items` in any order; lines keep the order they were placed in). */
export function toOrders(rows: OrderRow[], items: OrderItemRow[]): Order[] {
  const linesOf = new Map<string, OrderItemRow[]>();
  for (const item of items) linesOf.set(item.order_id, [...(linesOf.get(item.order_id) ?? []), item]);
  return rows.map((row) => ({
    id: row.id,
    user_id: row.user_id,
    user_email: row.user_email,
    status: row.status,
    currency: row.currency,
    total_cents: Number(row.total_cents),
    items: (linesOf.get(row.id) ?? []).sort((a, b) => a.position - b.position).map(toLine),
    shipping_address: fromJson(row.shipping_address),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }));
}
