import type { Product } from '../domain/product.js';
import { filterKey, searchKeywords } from '../domain/search-keywords.js';
import type { ProductQuery, ProductSort } from './catalog.repository.js';
import type { Doc, Filter, Sort } from './document-store.js';

/** Fields the store indexes (created at start, idempotently). */
export const INDEXED_FIELDS = [
  'keywords',
  'category_key',
  'tag_keys',
  'price_cents',
  'created_at',
  'outbox_count',
];

/** A lease that has always expired: what an unclaimed outbox carries. */
export const NO_LEASE = new Date(0);

/** Lookup fields derived from the product: search keywords and the case-folded filter keys. */
export function derivedFields(product: Pick<Product, 'name' | 'description' | 'category' | 'tags'>) {
  return {
    keywords: searchKeywords(product),
    category_key: filterKey(product.category),
    tag_keys: [...new Set(product.tags.map(filterKey))],
    name_key: product.name.toLowerCase(),
  };
}

/** The document of a new product: its fields, lookup fields, and an empty outbox. */
export function toDocument(product: Product): Doc {
  const { id, ...fields } = product;
  return {
    _id: id,
    ...fields,
    ...derivedFields(product),
    deleted_at: null,
    outbox: [],
    outbox_count: 0,
    outbox_lease: NO_LEASE,
    outbox_owner: null,
    outbox_attempts: 0,
    outbox_error: null,
  };
}

export function fromDocument(doc: Doc): Product {
  return {
    id: doc._id,
    name: doc.name as string,
    description: doc.description as string,
    category: doc.category as string,
    price_cents: doc.price_cents as number,
    currency: doc.currency as string,
    quantity: doc.quantity as number,
    tags: doc.tags as string[],
    image_url: (doc.image_url as string | null) ?? null,
    created_at: doc.created_at as Date,
    updated_at: doc.updated_at as Date,
    version: doc.version as number,
    stock_version: doc.stock_version as number,
  };
}

/** Live products only: tombstones of deleted ones stay until nothing needs them. */
export const LIVE = { deleted_at: null };

export function toFilter(query: ProductQuery): Filter {
  const filter: Filter = { ...LIVE };
  if (query.ids) filter._id = { $in: query.ids };
  if (query.category !== undefined) filter.category_key = query.category;
  if (query.minPriceCents !== undefined || query.maxPriceCents !== undefined) {
    filter.price_cents = {
      ...(query.minPriceCents !== undefined ? { $gte: query.minPriceCents } : {}),
      ...(query.maxPriceCents !== undefined ? { $lte: query.maxPriceCents } : {}),
    };
  }
  // Every word and tag must match: one equality per value on the multikey field (NeDB has no `$all`).
  const all = [
    ...(query.words ?? []).map((word) => ({ keywords: word })),
    ...(query.tags ?? []).map((tag) => ({ tag_keys: tag })),
  ];
  if (all.length > 0) filter.$and = all;
  if (query.inStock !== undefined) filter.quantity = query.inStock ? { $gt: 0 } : { $lte: 0 };
  return filter;
}

// `_id` last: a stable order, so pages never repeat or skip a product that ties on the sort key.
const SORTS: Record<ProductSort, Sort> = {
  price: { price_cents: 1, _id: 1 },
  '-price': { price_cents: -1, _id: 1 },
  name: { name_key: 1, _id: 1 },
  '-name': { name_key: -1, _id: 1 },
  created_at: { created_at: 1, _id: 1 },
  '-created_at': { created_at: -1, _id: -1 },
};

export const toSort = (sort: ProductSort): Sort => SORTS[sort];
