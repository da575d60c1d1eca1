/** A parsed JSON reply: tests read it field by field and let the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: JsonBody;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim instead of `body` (oversized or malformed bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A tiny JSON client for one service: `call('POST', '/api/v1/orders', { token, body })`. */
export function httpClient(baseUrl: string) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export type Call = ReturnType<typeof httpClient>;
