import { setTimeout as sleep } from 'node:timers/promises';

import { context, propagation } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';

import type { Logger } from '../logging/logger.js';
import type { HttpClientOutcome } from '../telemetry/kit-metrics.js';
import { currentServiceScope } from '../telemetry/service-scope.js';
import { traceClientCall } from '../telemetry/tracing.js';
import { backoffDelay, isIdempotent, RETRYABLE_STATUSES } from './retry-policy.js';
import {
  UpstreamStatusError,
  upstreamFailed,
  upstreamTimeout,
  upstreamUnavailable,
} from './upstream-errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

type QueryValue = string | number | boolean | null | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to `baseUrl` (which may itself carry a path prefix such as `/api/v1`). */
  path: string;
  /** `undefined`/`null` values are left out; arrays repeat the key. */
  query?: Record<string, QueryValue | QueryValue[]>;
  /** Strings are sent verbatim; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Allow retries for a non-idempotent method (a POST carrying an Idempotency-Key), or forbid them. */
  idempotent?: boolean;
  /** Sent as `X-Request-Id`; wins over the client's `getRequestId`. */
  requestId?: string;
  /** Per-attempt timeout for this call only. */
  timeoutMs?: number;
}

/** What the upstream answered. `body` is parsed JSON when the response says JSON, text otherwise, `undefined` when empty. */
export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: T;
}

export interface BreakerOptions {
  /** Open when at least this share of calls in the window failed (default 50). */
  errorThresholdPercentage?: number;
  /** Stay open this long, then let one trial call through (default 10 s). */
  resetTimeoutMs?: number;
  /** Calls needed in the window before the breaker may open at all (default 10). */
  volumeThreshold?: number;
  /** Length of the statistics window (default 10 s). */
  rollingWindowMs?: number;
}

export interface HttpClientOptions {
  /** The upstream's name, used in error details, logs and the breaker's name (e.g. `inventory`). */
  name: string;
  baseUrl: string;
  /** Per attempt, including reading the body (default 2000). */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests (default 2). */
  retries?: number;
  /** First backoff; doubles per retry, with jitter (default 100). */
  retryBackoffMs?: number;
  breaker?: BreakerOptions;
  /** Called once per request; the result is sent as `Authorization: Bearer …`. Cache inside it. */
  getToken?: () => Promise<string>;
  /** The current request id (e.g. from the incoming request's async context), forwarded as `X-Request-Id`. */
  getRequestId?: () => string | undefined;
  logger?: Logger;
}

type CallOptions = Omit<HttpRequest, 'method' | 'path' | 'body'>;
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** A client for one upstream service. Holds the upstream's circuit breaker; call `close()` on shutdown. */
export interface HttpClient {
  readonly name: string;
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, options?: CallOptions): Promise<HttpResponse<T>>;
  delete<T = unknown>(path: string, options?: CallOptions): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<HttpResponse<T>>;
  put<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<HttpResponse<T>>;
  patch<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<HttpResponse<T>>;
  /** For readiness checks and metrics. */
  breakerState(): BreakerState;
  /** Stops the breaker's timers. */
  close(): void;
}

type Attempt = () => Promise<HttpResponse>;

/**
 * Service-to-service HTTP client over Node's `fetch`.
 *
 * Contract: any response below 500 is returned to the caller, 4xx included (a 404 or 409 is an
 * answer the caller must handle, not a transport failure). It throws an AppError only when no
 * usable answer came: 504 `upstream_timeout`, 503 `upstream_unavailable` (network error or open
 * breaker), or the upstream's 5xx after retries (502 `upstream_error`, its 503/504 passed on).
 *
 * Retries (idempotent requests only) happen on network errors, timeouts and 502/503/504. Every
 * attempt counts in the breaker, so a retry storm opens it quickly and the remaining retries
 * fail fast instead of piling onto a struggling upstream.
 *
 * @example const inventory = createHttpClient({ name: 'inventory', baseUrl: config.inventoryUrl, getToken });
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { name, logger } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 2;
  const retryBackoffMs = options.retryBackoffMs ?? 100;

  const breaker = new CircuitBreaker<[Attempt], HttpResponse>((attempt) => attempt(), {
    name,
    timeout: false, // the fetch signal enforces the timeout and really aborts the request
    errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
    resetTimeout: options.breaker?.resetTimeoutMs ?? 10_000,
    volumeThreshold: options.breaker?.volumeThreshold ?? 10,
    rollingCountTimeout: options.breaker?.rollingWindowMs ?? 10_000,
  });
  breaker.on('open', () => logger?.warn({ upstream: name }, 'circuit breaker opened'));
  breaker.on('halfOpen', () => logger?.info({ upstream: name }, 'circuit breaker half-open'));
  breaker.on('close', () => logger?.info({ upstream: name }, 'circuit breaker closed'));

  // The service that made the client owns its breaker gauge; each attempt counts for the
  // service making it (the same one, unless a client is shared across services in tests).
  const owner = currentServiceScope();
  const untrackBreaker = owner?.metrics.trackBreaker(name, () => breakerStateOf(breaker));
  const countAttempt = (outcome: HttpClientOutcome) =>
    (currentServiceScope() ?? owner)?.metrics.httpAttempt(name, outcome);

  async function attempts<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = buildUrl(baseUrl, req.path, req.query);
    const headers = await buildHeaders(req, options);
    const body = req.body === undefined || typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const attemptTimeout = req.timeoutMs ?? timeoutMs;
    const maxRetries = isIdempotent(req.method, req.idempotent) ? retries : 0;
    const send: Attempt = async () => {
      try {
        const response = await sendOnce(name, url, { method: req.method, headers, body }, attemptTimeout);
        countAttempt('ok');
        return response;
      } catch (error) {
        countAttempt(isTimeout(error) ? 'timeout' : 'error');
        throw error;
      }
    };

    for (let retry = 0; ; retry += 1) {
      try {
        return (await breaker.fire(send)) as HttpResponse<T>;
      } catch (error) {
        if (isOpenBreaker(error)) countAttempt('rejected');
        if (retry < maxRetries && isRetryable(error)) {
          const delayMs = backoffDelay(retry, retryBackoffMs);
          logger?.warn(
            {
              upstream: name,
              method: req.method,
              path: req.path,
              retry: retry + 1,
              delayMs,
              reason: reasonOf(error),
            },
            'retrying upstream request',
          );
          await sleep(delayMs);
          continue;
        }
        throw toClientError(error, name, attemptTimeout);
      }
    }
  }

  /** One client span per call (retries included); its context is the `traceparent` every attempt sends. */
  function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const attributes = {
      'http.request.method': req.method,
      'server.address': new URL(baseUrl).hostname,
      'url.path': req.path,
      'peer.service': name,
    };
    const service = (currentServiceScope() ?? owner)?.service;
    return traceClientCall(
      `${req.method} ${name}`,
      attributes,
      async (span) => {
        const response = await attempts<T>(req);
        span.setAttribute('http.response.status_code', response.status);
        return response;
      },
      service,
    );
  }

  return {
    name,
    request,
    get: (path, opts) => request({ ...opts, method: 'GET', path }),
    delete: (path, opts) => request({ ...opts, method: 'DELETE', path }),
    post: (path, body, opts) => request({ ...opts, method: 'POST', path, body }),
    put: (path, body, opts) => request({ ...opts, method: 'PUT', path, body }),
    patch: (path, body, opts) => request({ ...opts, method: 'PATCH', path, body }),
    breakerState: () => breakerStateOf(breaker),
    close: () => {
      untrackBreaker?.();
      breaker.shutdown();
    },
  };
}

function breakerStateOf(breaker: CircuitBreaker): BreakerState {
  return breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';
}

/** One attempt. Resolves for answers below 500; rejects (counted by the breaker) for 5xx, network errors and timeouts. */
async function sendOnce(
  name: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | undefined },
  timeoutMs: number,
): Promise<HttpResponse> {
  // The signal also covers reading the body, so a server that stalls mid-response still times out.
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const result: HttpResponse = {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await readBody(response),
  };
  if (response.status >= 500) throw new UpstreamStatusError(name, response.status, result.body);
  return result;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!/[/+]json\b/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text; // a lying content-type should not turn a received answer into a failure
  }
}

function buildUrl(baseUrl: string, path: string, query: HttpRequest['query']): string {
  const url = new URL(baseUrl + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) url.searchParams.append(key, String(item));
    }
  }
  return url.toString();
}

async function buildHeaders(req: HttpRequest, options: HttpClientOptions): Promise<Record<string, string>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) {
    headers['content-type'] = typeof req.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  }
  for (const [key, value] of Object.entries(req.headers ?? {})) headers[key.toLowerCase()] = value;

  const requestId = req.requestId ?? headers['x-request-id'] ?? options.getRequestId?.();
  if (requestId) headers['x-request-id'] = requestId;
  if (options.getToken && !headers.authorization)
    headers.authorization = `Bearer ${await options.getToken()}`;
  // W3C traceparent/tracestate of the active span, so the upstream's spans join this trace.
  propagation.inject(context.active(), headers);
  return headers;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function isOpenBreaker(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}

function isRetryable(error: unknown): boolean {
  if (error instanceof UpstreamStatusError) return RETRYABLE_STATUSES.has(error.status);
  // Everything else that reaches here except an open breaker is a transport failure: refused, reset, timed out.
  return !isOpenBreaker(error);
}

function reasonOf(error: unknown): string {
  if (error instanceof UpstreamStatusError) return `status ${error.status}`;
  if (isTimeout(error)) return 'timeout';
  return error instanceof Error ? error.message : String(error);
}

function toClientError(error: unknown, name: string, timeoutMs: number): Error {
  if (error instanceof UpstreamStatusError) return upstreamFailed(error, timeoutMs);
  if (isTimeout(error)) return upstreamTimeout(name, timeoutMs, error);
  return upstreamUnavailable(name, error);
}
