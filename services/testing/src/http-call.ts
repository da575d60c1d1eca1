/** An answer as a test reads it: status, headers, and the body parsed when it is JSON. */
export interface Reply {
  status: number;
  headers: Headers;
  // Whatever the API answered; callers read the fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** Sent as given, e.g. `X-Forwarded-For` or `Idempotency-Key`. */
  headers?: Record<string, string>;
}

/**
 * Plain HTTP as curl would send it: a JSON or form body and a bearer token, nothing else.
 *
 * @example const reply = await httpCall(gateway, 'POST', '/api/v1/orders', { token, json: order });
 */
export async function httpCall(
  base: string,
  method: string,
  route: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${base}${route}`, { method, headers, body });
  const text = await response.text();
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: isJson && text ? JSON.parse(text) : text,
  };
}
