import { z } from 'zod';
import { hasAtMostTwoDecimals, MAX_PRICE } from '../../domain/money.js';
import { ORDER_STATUSES } from '../../domain/order.js';

/** Lines per order, and units per line (issue 6). */
export const MAX_ITEMS = 50;
export const MAX_QUANTITY = 1_000;

/** A product id as the catalog and inventory accept them (an ObjectId's 24 hex digits in practice). */
const productId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1–64 letters, digits, "_" or "-"' });

const price = z
  .number()
  .min(0)
  .max(MAX_PRICE)
  .refine(hasAtMostTwoDecimals, { error: 'must be an amount with at most two decimals' });

/** A line as the client sends it; `name` (as orders show it) may be echoed back and is ignored. */
const item = z.strictObject({
  product_id: productId,
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  price: price.optional(),
  name: z.string().max(200).optional(),
});

const line = (max: number) => z.string().trim().min(1).max(max);
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

export const addressBody = z.strictObject({
  line1: line(200),
  line2: optionalLine(200),
  city: line(100),
  state: optionalLine(100),
  postal_code: line(20),
  country: line(100),
});

export const placeOrderBody = z
  .strictObject({
    /** The seed sends the caller's id (a string); it must be the caller's own. */
    user_id: z.union([z.string().min(1).max(255), z.number().int().nonnegative()]).optional(),
    items: z.array(item).min(1).max(MAX_ITEMS),
    shipping_address: addressBody.optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.items.forEach((entry, index) => {
      if (seen.has(entry.product_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'product_id'],
          message: 'listed twice: put the whole quantity on one line',
        });
      }
      seen.add(entry.product_id);
    });
  })
  .transform((body) => ({
    ...body,
    items: body.items.map(({ product_id, quantity, price: stated }) => ({
      product_id,
      quantity,
      price: stated,
    })),
  }));

export const statusBody = z.strictObject({ status: z.enum(ORDER_STATUSES) });

export const orderParams = z.object({ id: z.string().max(100) });

/** A query-string integer: digits only, then range-checked. */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const listQuery = z.strictObject({
  limit: queryInt(1, 100).default(20),
  offset: queryInt(0, 1_000_000_000).default(0),
  status: z.enum(ORDER_STATUSES).optional(),
  user_id: z.string().min(1).max(255).optional(),
});

/** `Idempotency-Key`: 1–255 visible ASCII characters (a UUID in practice). */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1–255 visible ASCII characters' })
  .optional();

const address = z.object({
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  state: z.string().nullable(),
  postal_code: z.string(),
  country: z.string(),
});

/** The order as the API answers it (documentation in `/openapi.json`). */
export const orderView = z.object({
  _id: z.string(),
  user_id: z.union([z.number(), z.string()]),
  items: z.array(
    z.object({ product_id: z.string(), name: z.string(), quantity: z.number(), price: z.number() }),
  ),
  total_price: z.number(),
  currency: z.string(),
  status: z.enum(ORDER_STATUSES),
  shipping_address: address,
  created_at: z.string(),
  updated_at: z.string(),
});
