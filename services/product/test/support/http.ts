/** A parsed JSON reply: tests read it field by field and let the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

/** What a test reads from one HTTP exchange. */
export interface Reply<T = JsonBody> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny JSON client for a service under test: `call('POST', '/api/v1/products', { token, body })`. */
export function httpClient(baseUrl: string) {
  return async function call<T = JsonBody>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
}

/** The seed's three products (seed 000 steps 3.1–3.3), verbatim. */
export const SEED_PRODUCTS = [
  {
    name: 'Premium Smartphone',
    description: 'Latest model with high-end camera and long battery life',
    category: 'Electronics',
    price: 899.99,
    quantity: 50,
  },
  {
    name: 'Wireless Noise-Cancelling Headphones',
    description: 'Premium headphones with active noise cancellation',
    category: 'Audio',
    price: 249.99,
    quantity: 100,
  },
  {
    name: 'Smart Fitness Watch',
    description: 'Waterproof fitness tracker with heart rate monitoring',
    category: 'Wearables',
    price: 179.99,
    quantity: 75,
  },
];
