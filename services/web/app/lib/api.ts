import type { RequestOptions } from './api-client.js';
import { client } from './client.js';
import type { OrderStatus } from './order-status.js';
import type {
  Address,
  ChatReply,
  ChatTurn,
  Order,
  Page,
  Product,
  ProductInput,
  Registration,
  ShippingAddress,
  StockRecord,
  User,
} from './types.js';

const id = encodeURIComponent;

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await client.request<T>(path, { signal })).data;
}

async function page<T>(path: string, signal?: AbortSignal): Promise<Page<T>> {
  const response = await client.request<T[]>(path, { signal });
  const total = Number(response.headers.get('X-Total-Count'));
  return { items: response.data, total: Number.isFinite(total) ? total : response.data.length };
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  return (await client.request<T>(path, { ...options, method, body })).data;
}

export const api = {
  // Catalog (public reads)
  products: (query: string, signal?: AbortSignal) => page<Product>(`/api/v1/products?${query}`, signal),
  product: (productId: string, signal?: AbortSignal) =>
    get<Product>(`/api/v1/products/${id(productId)}`, signal),
  productsByIds: (ids: string[], signal?: AbortSignal) =>
    ids.length === 0
      ? Promise.resolve<Page<Product>>({ items: [], total: 0 })
      : page<Product>(`/api/v1/products?ids=${ids.map(id).join(',')}&limit=100`, signal),
  /** The categories of the first 100 products by name: the catalog has no category endpoint. */
  async categories(signal?: AbortSignal): Promise<string[]> {
    const { items } = await page<Product>('/api/v1/products?limit=100&sort=name', signal);
    return [...new Set(items.map((p) => p.category))].sort((a, b) => a.localeCompare(b));
  },
  createProduct: (input: ProductInput & { quantity: number }) =>
    send<Product>('POST', '/api/v1/products', input),
  updateProduct: (productId: string, input: ProductInput) =>
    send<Product>('PATCH', `/api/v1/products/${id(productId)}`, input),
  deleteProduct: (productId: string) => send<void>('DELETE', `/api/v1/products/${id(productId)}`),

  // Accounts
  register: (registration: Registration) =>
    send<User>('POST', '/api/v1/auth/register', registration, { auth: false }),
  me: (signal?: AbortSignal) => get<User>('/api/v1/users/me', signal),
  addAddress: (address: ShippingAddress & { is_default?: boolean }) =>
    send<Address>('POST', '/api/v1/users/me/addresses', address),

  // Orders
  placeOrder: (
    body: {
      items: { product_id: string; quantity: number; price: number }[];
      shipping_address: ShippingAddress;
    },
    idempotencyKey: string,
  ) => send<Order>('POST', '/api/v1/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } }),
  orders: (query: string, signal?: AbortSignal) => page<Order>(`/api/v1/orders?${query}`, signal),
  order: (orderId: string, signal?: AbortSignal) => get<Order>(`/api/v1/orders/${id(orderId)}`, signal),
  cancelOrder: (orderId: string) => send<Order>('PATCH', `/api/v1/orders/${id(orderId)}/cancel`),
  setOrderStatus: (orderId: string, status: OrderStatus) =>
    send<Order>('PUT', `/api/v1/orders/${id(orderId)}/status`, { status }),

  // Inventory (admin, except reading one record)
  stock: (productId: string, signal?: AbortSignal) =>
    get<StockRecord>(`/api/v1/inventory/${id(productId)}`, signal),
  stockList: (query: string, signal?: AbortSignal) => page<StockRecord>(`/api/v1/inventory?${query}`, signal),
  restock: (productId: string, quantity: number) =>
    send<StockRecord>('PATCH', `/api/v1/inventory/${id(productId)}/restock`, { quantity }),
  adjustStock: (productId: string, delta: number, reason: string) =>
    send<StockRecord>('POST', '/api/v1/inventory/adjust', { product_id: productId, delta, reason }),

  // Assistant
  chat: (message: string, history: ChatTurn[]) =>
    send<ChatReply>('POST', '/api/v1/ai/chat', { message, history }),
};
