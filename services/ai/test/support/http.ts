/** A parsed JSON reply: tests read it field by field and let the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: JsonBody;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim instead of `body`. */
  rawBody?: string;
}

/** A tiny JSON client for one service: `call('POST', '/api/v1/ai/chat', { token, body })`. */
export function httpClient(baseUrl: string) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body: payload });
    const text = await response.text();
    const json =
      /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body: json, text };
  };
}

export type Call = ReturnType<typeof httpClient>;

/**
 * The value of a Prometheus series in `/metrics` text whose labels include `labels` (0 when the
 * series is absent).
 */
export function metricValue(metrics: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}
