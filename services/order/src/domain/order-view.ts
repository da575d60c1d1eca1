import { fromCents } from './money.js';
import type { Address, Order, OrderStatus } from './order.js';

/** An order line as the API and events show it (seed 000 §5, plus the product's name). */
export interface OrderLineView {
  product_id: string;
  name: string;
  quantity: number;
  price: number;
}

/** An order as the API shows it (seed 000 §5–6, DESIGN §6 "order"). */
export interface OrderView {
  _id: string;
  user_id: number | string;
  items: OrderLineView[];
  total_price: number;
  currency: string;
  status: OrderStatus;
  shipping_address: Address;
  created_at: string;
  updated_at: string;
}

const NUMERIC_ID = /^(0|[1-9]\d{0,14})$/;

/**
 * The user id as clients know it: our own tokens' subjects are the user service's numeric ids
 * (shown as numbers, like `/users/me`'s `id`); other issuers' subjects stay strings.
 */
export const publicUserId = (subject: string): number | string =>
  NUMERIC_ID.test(subject) ? Number(subject) : subject;

export function orderView(order: Order): OrderView {
  return {
    _id: order.id,
    user_id: publicUserId(order.user_id),
    items: order.items.map((line) => ({
      product_id: line.product_id,
      name: line.name,
      quantity: line.quantity,
      price: fromCents(line.unit_price_cents),
    })),
    total_price: fromCents(order.total_cents),
    currency: order.currency,
    status: order.status,
    shipping_address: order.shipping_address,
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
}
