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

export { SEED_PRODUCTS } from '@cartwheel/testing';
