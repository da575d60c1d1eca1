/** The statuses of DESIGN §6 "order". */
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A shipping address: the seed's fields (a user-service address without its id and default flag). */
export interface Address {
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postal_code: string;
  country: string;
}

/** One line of an order, priced from the catalog when it was placed. */
export interface OrderLine {
  product_id: string;
  name: string;
  quantity: number;
  unit_price_cents: number;
}

/** An order as the service keeps it; money in integer cents, timestamps ISO 8601 UTC. */
export interface Order {
  id: string;
  /** The caller's token subject. */
  user_id: string;
  user_email: string | null;
  status: OrderStatus;
  currency: string;
  total_cents: number;
  items: OrderLine[];
  shipping_address: Address;
  created_at: string;
  updated_at: string;
}

/** Who is asking, as the use cases need it (from the verified token). */
export interface Caller {
  subject: string;
  email?: string;
  /** Sees and manages every order. */
  admin: boolean;
  /** Reads every order (another service); changes none. */
  service: boolean;
  /** The caller's bearer token, forwarded to the user service for their default address. */
  token: string;
}

/** Owners see their own orders; admins and services see all. */
export const canRead = (caller: Caller, order: Order): boolean =>
  caller.admin || caller.service || order.user_id === caller.subject;

/** The sum of the lines, in cents (exact: integers). */
export const totalCents = (lines: OrderLine[]): number =>
  lines.reduce((sum, line) => sum + line.unit_price_cents * line.quantity, 0);
