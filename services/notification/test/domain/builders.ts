import type {
  AiNotificationReady,
  InventoryLow,
  OrderCancelled,
  OrderPlaced,
  OrderStatusChanged,
  UserCreated,
} from '../../src/domain/notification.js';

// Event data as the producers send it (the contracts in the brief); tests override fields.

/** Seed 000 step 2's address. */
export const SEED_ADDRESS = {
  line1: '123 Example Street',
  line2: 'Apt 4B',
  city: 'Example City',
  state: 'EX',
  postal_code: '12345',
  country: 'Example Country',
};

export const ORDER_ID = '3f2a9c1b-7d4e-4f60-9a1b-2c3d4e5f6a7b';

export const aUser = (overrides: Partial<UserCreated> = {}): UserCreated => ({
  id: '42',
  email: 'customer@example.com',
  first_name: 'Example',
  last_name: 'Customer',
  ...overrides,
});

/** Seed 000 step 5.3: 249.99 + 2 × 179.99 = 609.97. */
export const anOrder = (overrides: Partial<OrderPlaced> = {}): OrderPlaced => ({
  _id: ORDER_ID,
  user_email: 'customer@example.com',
  items: [
    { product_id: 'p-headphones', name: 'Wireless Noise-Cancelling Headphones', quantity: 1, price: 249.99 },
    { product_id: 'p-watch', name: 'Smart Fitness Watch', quantity: 2, price: 179.99 },
  ],
  total_price: 609.97,
  currency: 'USD',
  shipping_address: SEED_ADDRESS,
  created_at: '2026-05-15T11:30:00.000Z',
  ...overrides,
});

export const aStatusChange = (
  to: string,
  overrides: Partial<OrderStatusChanged> = {},
): OrderStatusChanged => ({
  _id: ORDER_ID,
  from: 'pending',
  to,
  changed_at: '2026-05-15T12:00:00.000Z',
  user_email: 'customer@example.com',
  ...overrides,
});

export const aCancellation = (overrides: Partial<OrderCancelled> = {}): OrderCancelled => ({
  _id: ORDER_ID,
  cancelled_at: '2026-05-15T12:30:00.000Z',
  user_email: 'customer@example.com',
  ...overrides,
});

export const aLowStock = (overrides: Partial<InventoryLow> = {}): InventoryLow => ({
  product_id: 'p-smartphone',
  available_quantity: 4,
  reorder_threshold: 5,
  ...overrides,
});

export const anAiMessage = (overrides: Partial<AiNotificationReady> = {}): AiNotificationReady => ({
  order_id: ORDER_ID,
  to: 'customer@example.com',
  subject: 'A few ideas to go with your new headphones',
  html: '<p>Hello Example,</p><p>Your <strong>headphones</strong> pair well with a <a href="https://shop.example/cases">case</a>.</p>',
  text: 'Hello Example,\n\nYour headphones pair well with a case: https://shop.example/cases',
  ...overrides,
});
