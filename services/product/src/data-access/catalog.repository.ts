import type { CloudEvent, OutboxBacklog, OutboxMessage } from '@cartwheel/kit';
import type { Product, ProductEdit } from '../domain/product.js';

export type ProductSort = 'price' | '-price' | 'name' | '-name' | 'created_at' | '-created_at';

/** A list query, already validated and normalised by the caller. Every given filter must hold. */
export interface ProductQuery {
  /** Lower-cased category (exact match, case-insensitive). */
  category?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  /** Normalised search words (see `queryWords`); each must be among the product's keywords. */
  words?: string[];
  /** Lower-cased tags; the product must carry every one. */
  tags?: string[];
  /** true: quantity > 0; false: quantity 0. */
  inStock?: boolean;
  /** Canonical product ids (a batch read). */
  ids?: string[];
  sort: ProductSort;
  limit: number;
  offset: number;
}

export interface ProductPage {
  items: Product[];
  /** How many products match, regardless of limit and offset. */
  total: number;
}

/** What `update` writes when the decision function finds something to change. */
export interface ProductUpdate {
  changes: ProductEdit;
  updated_at: Date;
  /** Written atomically with the change, published by the relay. */
  events: CloudEvent[];
}

/** One pending event of a product's outbox. */
export interface OutboxEntry extends OutboxMessage {
  /** The event id. */
  id: string;
}

/** The pending events of one product, leased to one relay round. */
export interface OutboxClaim {
  productId: string;
  /** Unique per claim: only its holder can release it. */
  owner: string;
  entries: OutboxEntry[];
}

/**
 * The catalog's storage port. Implementations keep each product's pending events in the product
 * itself, so a change and its events are one single-document write (no transactions needed).
 * Deleted products stay as tombstones (`deleted_at`) that no read returns.
 */
export interface CatalogRepository {
  /** A fresh product id (an ObjectId as hex). */
  newId(): string;
  /** Creates indexes; idempotent. */
  init(): Promise<void>;
  /** Inserts the product with its events; false when the id is taken. */
  insert(product: Product, events: CloudEvent[]): Promise<boolean>;
  findById(id: string): Promise<Product | undefined>;
  findMany(query: ProductQuery): Promise<ProductPage>;
  /**
   * Applies `decide(current)` with optimistic concurrency: when another write changed the product
   * in between, it reads again and asks again, so concurrent edits of different fields all land.
   * Undefined when the product does not exist; `updated` false when `decide` changed nothing.
   */
  update(
    id: string,
    decide: (current: Product) => ProductUpdate | undefined,
  ): Promise<{ product: Product; updated: boolean } | undefined>;
  /** Marks the product deleted with its events; false when there is no such (live) product. */
  remove(id: string, deletedAt: Date, events: CloudEvent[]): Promise<boolean>;
  /** Sets the stock when `version` is newer than the stored one; false otherwise (or unknown id). */
  applyStock(id: string, quantity: number, version: number): Promise<boolean>;
  /** True when the store has never held a product (not even a deleted one). */
  isEmpty(): Promise<boolean>;

  /** Leases products with pending events (up to about `limit` events) for `leaseMs`. */
  claimOutbox(limit: number, leaseMs: number): Promise<OutboxClaim[]>;
  /** Drops the published entries and ends the lease; a no-op when the lease passed to another owner. */
  releaseOutbox(claim: OutboxClaim, published: OutboxEntry[]): Promise<void>;
  /** Counts a failed attempt on the products' outboxes. */
  recordOutboxFailure(productIds: string[], error: string): Promise<void>;
  /** Pending events in all outboxes, and the age of the oldest (its event's time). */
  outboxBacklog(): Promise<OutboxBacklog>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
