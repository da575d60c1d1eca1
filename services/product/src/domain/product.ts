import { isDeepStrictEqual } from 'node:util';
import { centsToAmount } from './money.js';

/** A catalog product as the service keeps it (plain object; money in minor units). */
export interface Product {
  /** ObjectId as 24 lower-case hex characters. */
  id: string;
  name: string;
  description: string;
  category: string;
  price_cents: number;
  currency: string;
  /** Available stock: the created quantity, then kept from inventory's stock.updated events. */
  quantity: number;
  tags: string[];
  image_url: string | null;
  created_at: Date;
  /** Last change of the catalog fields (stock changes do not count). */
  updated_at: Date;
  /** 1 at creation, +1 on every catalog change (optimistic concurrency). */
  version: number;
  /** The inventory record version `quantity` was taken from; 0 until the first stock.updated. */
  stock_version: number;
}

/** The fields an admin may change after creation (`quantity` belongs to inventory). */
export const EDITABLE_FIELDS = [
  'name',
  'description',
  'category',
  'price_cents',
  'tags',
  'image_url',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type ProductEdit = Partial<Pick<Product, EditableField>>;

/** A product as the API (and product.created) shows it. */
export interface ProductView {
  _id: string;
  name: string;
  description: string;
  category: string;
  price: number;
  currency: string;
  quantity: number;
  tags: string[];
  image_url: string | null;
  created_at: string;
  updated_at: string;
}

export function toView(product: Product): ProductView {
  return {
    _id: product.id,
    name: product.name,
    description: product.description,
    category: product.category,
    price: centsToAmount(product.price_cents),
    currency: product.currency,
    quantity: product.quantity,
    tags: product.tags,
    image_url: product.image_url,
    created_at: product.created_at.toISOString(),
    updated_at: product.updated_at.toISOString(),
  };
}

/** The fields of `edit` whose value differs from `current` (nothing when the edit changes nothing). */
export function changedFields(current: Product, edit: ProductEdit): ProductEdit {
  const changes: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (edit[field] !== undefined && !isDeepStrictEqual(edit[field], current[field])) {
      changes[field] = edit[field];
    }
  }
  return changes as ProductEdit;
}

/** Changes as events and clients name them: `price` as an amount instead of `price_cents`. */
export function viewOfChanges(changes: ProductEdit): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'price_cents') view.price = centsToAmount(value as number);
    else view[field] = value;
  }
  return view;
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** The canonical id for `text`, or undefined when it cannot be a product id (then it is a 404). */
export function productId(text: string): string | undefined {
  return OBJECT_ID.test(text) ? text.toLowerCase() : undefined;
}
