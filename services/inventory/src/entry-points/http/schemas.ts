import { z } from 'zod';
import { MAX_STOCK } from '../../domain/stock.js';
import { orderId, productId } from '../identifiers.js';

/** Largest quantity one reservation line may ask for. */
export const MAX_RESERVE_QUANTITY = 10_000;
/** Most lines one reservation may hold. */
export const MAX_RESERVE_ITEMS = 100;

const reserveQuantity = z.number().int().min(1).max(MAX_RESERVE_QUANTITY);
const stockQuantity = z.number().int().min(0).max(MAX_STOCK);

/** A query-string integer: digits only (no `1e3`, `0x10`, spaces or empty string), then range-checked. */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const productParams = z.object({ product_id: productId });

export const pagingQuery = z.object({
  limit: queryInt(1, 100).default(20),
  offset: queryInt(0, 1_000_000_000).default(0),
});

export const listQuery = pagingQuery.extend({
  low_stock: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export const checkQuery = z.object({ quantity: queryInt(1, MAX_STOCK) });

export const createBody = z.strictObject({
  product_id: productId,
  available_quantity: stockQuantity,
  reserved_quantity: z
    .literal(0, { error: 'must be 0: reserved units only come from reservations' })
    .optional(),
  reorder_threshold: stockQuantity.optional(),
});

export const updateBody = z
  .strictObject({ available_quantity: stockQuantity.optional(), reorder_threshold: stockQuantity.optional() })
  .refine((body) => body.available_quantity !== undefined || body.reorder_threshold !== undefined, {
    error: 'send available_quantity, reorder_threshold or both',
  });

export const adjustBody = z.strictObject({
  product_id: productId,
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((delta) => delta !== 0, { error: 'must not be 0' }),
  reason: z.string().trim().min(1).max(200),
});

export const restockBody = z.strictObject({ quantity: z.number().int().min(1).max(MAX_STOCK) });

export const orderBody = z.strictObject({ order_id: orderId });

/** Extra fields on an item (an order line's `name`, `price`) are ignored, so order lines can be sent as they are. */
const reserveItem = z.object({ product_id: productId, quantity: reserveQuantity });

/**
 * `{order_id, items:[{product_id, quantity}]}`, or the seed's single item
 * `{product_id, quantity, order_id}`; either becomes `{order_id, items, single}`.
 */
export const reserveBody = z
  .strictObject({
    order_id: orderId,
    items: z.array(reserveItem).min(1).max(MAX_RESERVE_ITEMS).optional(),
    product_id: productId.optional(),
    quantity: reserveQuantity.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.items) {
      if (body.product_id !== undefined || body.quantity !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['items'],
          message: 'send items, or product_id and quantity, not both',
        });
      }
      const seen = new Set<string>();
      body.items.forEach((item, index) => {
        if (seen.has(item.product_id)) {
          ctx.addIssue({ code: 'custom', path: ['items', index, 'product_id'], message: 'listed twice' });
        }
        seen.add(item.product_id);
      });
      return;
    }
    if (body.product_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'required (or product_id and quantity)' });
    } else if (body.quantity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'required with product_id' });
    }
  })
  .transform((body) => ({
    order_id: body.order_id,
    items: body.items ?? [{ product_id: body.product_id as string, quantity: body.quantity as number }],
    single: body.items === undefined,
  }));

/** The record as the API shows it (seed 000 step 4.2, plus `discontinued`). */
export const stockView = z.object({
  id: z.number().int(),
  product_id: z.string(),
  available_quantity: z.number().int(),
  reserved_quantity: z.number().int(),
  reorder_threshold: z.number().int(),
  discontinued: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const checkView = z.object({
  product_id: z.string(),
  requested: z.number().int(),
  available_quantity: z.number().int(),
  available: z.boolean(),
});

export const reservationView = z.object({
  order_id: z.string(),
  state: z.enum(['reserved', 'released', 'committed', 'mixed']),
  confirmed: z.boolean(),
  expires_at: z.string(),
  items: z.array(
    z.object({
      product_id: z.string(),
      quantity: z.number().int(),
      state: z.enum(['reserved', 'released', 'committed']),
    }),
  ),
});
