/** The emails this service sends; also the `type` label of its metrics. */
export const NOTIFICATION_TYPES = [
  'welcome',
  'order_confirmation',
  'order_paid',
  'order_shipped',
  'order_delivered',
  'order_cancelled',
  'inventory_low',
  'ai_follow_up',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** A rendered email: escaped HTML, plain text and a one-line subject. */
export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

/** An email ready to hand to the mailer. */
export interface Email extends EmailContent {
  type: NotificationType;
  to: string[];
}

/** What an event leads to: an email, or a reason why nobody can be written to. */
export type Composed = { email: Email } | { skipped: string };

// --- what each consumed event must carry (DESIGN §7 and the event contracts) ---

export interface UserCreated {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
}

export interface OrderLine {
  product_id: string;
  name: string;
  quantity: number;
  price: number;
}

/** Seed 000's address; every field is optional so an address with fewer lines still renders. */
export interface ShippingAddress {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

export interface OrderPlaced {
  _id: string;
  user_email?: string | null;
  items: OrderLine[];
  total_price: number;
  currency: string;
  shipping_address?: ShippingAddress | null;
  created_at: string;
}

export interface OrderStatusChanged {
  _id: string;
  from: string;
  to: string;
  changed_at: string;
  user_email?: string | null;
}

export interface OrderCancelled {
  _id: string;
  cancelled_at: string;
  user_email?: string | null;
}

export interface InventoryLow {
  product_id: string;
  available_quantity: number;
  reorder_threshold: number;
}

export interface AiNotificationReady {
  order_id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}
