import type { OrderStatus } from './order-status.js';

/** Shapes of the `/api/v1` answers the app reads (see each service's README). */
export interface Product {
  _id: string;
  name: string;
  description: string;
  category: string;
  price: number;
  currency: string;
  /** Current available stock. */
  quantity: number;
  tags: string[];
  image_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProductInput {
  name: string;
  description: string;
  category: string;
  price: number;
  tags: string[];
  image_url: string | null;
}

export interface ShippingAddress {
  line1: string;
  line2?: string | null;
  city: string;
  state?: string | null;
  postal_code: string;
  country: string;
}

export interface Address extends ShippingAddress {
  id: number;
  is_default: boolean;
}

export interface User {
  id: number | string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  role: string;
  is_active: boolean;
  created_at: string;
  addresses: Address[];
}

export interface Registration {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  phone?: string;
}

export interface OrderItem {
  product_id: string;
  name: string;
  quantity: number;
  price: number;
}

export interface Order {
  _id: string;
  user_id: number | string;
  items: OrderItem[];
  total_price: number;
  currency: string;
  status: OrderStatus;
  shipping_address: ShippingAddress;
  created_at: string;
  updated_at: string;
}

export interface StockRecord {
  id: number;
  product_id: string;
  available_quantity: number;
  reserved_quantity: number;
  reorder_threshold: number;
  discontinued: boolean;
  created_at: string;
  updated_at: string;
}

/** One turn of the assistant conversation as `POST /api/v1/ai/chat` takes its history. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatProduct {
  _id?: string;
  id?: string;
  product_id?: string;
  name?: string;
  price?: number;
  currency?: string;
}

export interface ChatReply {
  reply: string;
  products: ChatProduct[];
  /** `fallback` when the deterministic fallback answered instead of the model. */
  source: string;
}

/** A page of a list endpoint: the items and `X-Total-Count`. */
export interface Page<T> {
  items: T[];
  total: number;
}
