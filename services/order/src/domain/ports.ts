import type { CloudEvent } from '@cartwheel/kit';
import type { Address, Order, OrderStatus } from './order.js';

/** A product as the order service needs it from the catalog. */
export interface CatalogProduct {
  product_id: string;
  name: string;
  price_cents: number;
  currency: string;
}

/** The catalog (product service). */
export interface Catalog {
  /** The products of `ids` that exist; unknown and deleted ones are left out. One call. */
  findProducts(ids: string[]): Promise<CatalogProduct[]>;
}

/** An order line to reserve. */
export interface StockItem {
  product_id: string;
  quantity: number;
}

/**
 * The inventory service. Every call is idempotent per order id. Refusals are AppErrors carrying
 * the inventory's detail (409 shortfall, 422 unknown product); an unreachable inventory is a 503
 * with Retry-After.
 */
export interface Stock {
  reserve(orderId: string, items: StockItem[]): Promise<void>;
  /** Gives the units back; an order without a reservation is not an error. 409 once committed. */
  release(orderId: string): Promise<void>;
  /** Takes the units out for good (shipped). 409 once released. */
  commit(orderId: string): Promise<void>;
}

/** The user service, asked with the caller's own token. */
export interface Profiles {
  /** The caller's default address, or undefined when they have none. */
  defaultAddress(callerToken: string): Promise<Address | undefined>;
}

/** A claim on an Idempotency-Key before the order is placed. */
export interface KeyToClaim {
  user_id: string;
  key: string;
  request_hash: string;
  /** The order id this attempt will use. */
  order_id: string;
}

/** What claiming a key found. */
export type KeyClaim =
  /** This attempt owns the key and places the order under `order_id`. */
  | { kind: 'claimed'; order_id: string }
  /** An attempt with this key finished: answer what it answered. */
  | { kind: 'completed'; status: number; body: unknown }
  /** The key was used with another request body. */
  | { kind: 'mismatch' }
  /** Another attempt holds the key right now. */
  | { kind: 'in_progress' };

/** The stored outcome of a key, written in the transaction that inserts the order. */
export interface KeyOutcome {
  user_id: string;
  key: string;
  status: number;
  body: unknown;
}

export interface IdempotencyKeys {
  /**
   * Claims the key (INSERT … ON CONFLICT DO NOTHING). A claim still in progress after
   * `staleAfterSec` belongs to an attempt that died: it is taken over under the new order id.
   */
  claim(key: KeyToClaim, staleAfterSec: number): Promise<KeyClaim>;
  /** Gives up this attempt's claim (it failed), so a retry with the key runs again. */
  release(userId: string, key: string, orderId: string): Promise<void>;
  /** Deletes keys older than `maxAgeSec`; resolves with how many. */
  purge(maxAgeSec: number): Promise<number>;
}

export interface OrderFilter {
  user_id?: string;
  status?: OrderStatus;
  limit: number;
  offset: number;
}

/** A status change decided on a locked order. */
export interface StatusChange {
  /** The order as it is after the change. */
  order: Order;
  from: OrderStatus;
  /** Who made it (a token subject), for the history. */
  changed_by: string;
  events: CloudEvent[];
}

/** The orders' PostgreSQL. */
export interface OrderStore {
  /**
   * Inserts the order, its lines, its first history row and `events` (outbox) in one
   * transaction, and completes its idempotency key in the same one when given.
   */
  insertOrder(order: Order, events: CloudEvent[], key?: KeyOutcome): Promise<void>;
  findOrder(id: string): Promise<Order | undefined>;
  /** Newest first, with the total count of the filter. */
  listOrders(filter: OrderFilter): Promise<{ orders: Order[]; total: number }>;
  /**
   * Locks the order's row (`SELECT … FOR UPDATE`) in a transaction and calls `decide` with it;
   * a change it returns is written (status, history row, outbox events) in that transaction.
   * Concurrent changes of one order therefore run one after the other. Resolves with the order
   * as it is afterwards, or undefined when there is no such order.
   */
  updateLocked(
    id: string,
    decide: (order: Order) => Promise<StatusChange | undefined>,
  ): Promise<Order | undefined>;
  keys: IdempotencyKeys;
}
