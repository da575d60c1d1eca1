import { z } from 'zod';
import type {
  AiNotificationReady,
  InventoryLow,
  OrderCancelled,
  OrderPlaced,
  OrderStatusChanged,
  UserCreated,
} from '../../domain/notification.js';

// What each consumed event must carry to make its email (the event contracts of the brief and
// DESIGN §7). Unknown fields are ignored. Recipient addresses are only required to be strings
// here: the domain skips an email whose address is missing or invalid instead of retrying it.

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().max(max);
const timestamp = z.iso.datetime({ offset: true });
const amount = z.number().finite().nonnegative().max(1e12);
const count = z.number().int().min(0).max(1e9);
const userEmail = z.string().max(1000).nullish();

export const userCreated: z.ZodType<UserCreated> = z.object({
  // The user service sends a string; a number would be the same account.
  id: z.union([id, z.number().int()]).transform(String),
  email: text(1000),
  first_name: text(200),
  last_name: text(200),
});

export const orderPlaced: z.ZodType<OrderPlaced> = z.object({
  _id: id,
  user_email: userEmail,
  items: z
    .array(z.object({ product_id: id, name: text(500), quantity: count.min(1), price: amount }))
    .min(1)
    .max(500),
  total_price: amount,
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
  shipping_address: z
    .object({
      line1: text(500).nullish(),
      line2: text(500).nullish(),
      city: text(200).nullish(),
      state: text(200).nullish(),
      postal_code: text(50).nullish(),
      country: text(200).nullish(),
    })
    .nullish(),
  created_at: timestamp,
});

export const orderStatusChanged: z.ZodType<OrderStatusChanged> = z.object({
  _id: id,
  from: text(50),
  to: text(50),
  changed_at: timestamp,
  user_email: userEmail,
});

export const orderCancelled: z.ZodType<OrderCancelled> = z.object({
  _id: id,
  cancelled_at: timestamp,
  user_email: userEmail,
});

export const inventoryLow: z.ZodType<InventoryLow> = z.object({
  product_id: id,
  available_quantity: count,
  reorder_threshold: count,
});

export const aiNotificationReady: z.ZodType<AiNotificationReady> = z.object({
  order_id: id,
  to: text(1000),
  subject: text(1000),
  html: text(500_000),
  text: text(200_000),
});
