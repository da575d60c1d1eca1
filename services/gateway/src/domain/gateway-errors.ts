import { AppError } from '@cartwheel/kit';

// What the gateway answers when it cannot forward. Upstream trouble is expected, so operational:
// the detail names the upstream, as clients of the seed's gateway read `detail`.

/** 404: no upstream serves this path. */
export const noRoute = (method: string, path: string): AppError =>
  new AppError('route_not_found', 404, 'Not Found', { detail: `No route for ${method} ${path}` });

/** 503: route discovery has not listed the routes yet (just started, or the API server is down). */
export const routesNotDiscovered = (): AppError =>
  new AppError('routes_not_discovered', 503, 'Service Unavailable', {
    detail: 'The gateway has not discovered its routes yet',
    operational: true,
    headers: { 'Retry-After': '5' },
  });

/** 400: a path with `.`/`..` segments (see hasDotSegment). */
export const dotSegmentPath = (): AppError =>
  new AppError('invalid_path', 400, 'Bad Request', {
    detail: 'The path must not contain "." or ".." segments',
    errors: [{ path: 'path', message: 'must not contain "." or ".." segments' }],
  });

/** 503: the upstream cannot be reached, or its circuit is open. */
export const upstreamUnavailable = (upstream: string, retryAfterSec?: number, cause?: unknown): AppError =>
  new AppError('upstream_unavailable', 503, 'Service Unavailable', {
    detail: `upstream ${upstream} is unavailable`,
    operational: true,
    extensions: { upstream },
    ...(retryAfterSec ? { headers: { 'Retry-After': String(retryAfterSec) } } : {}),
    cause,
  });

/** 504: the upstream did not answer (or went silent) for `timeoutMs`. */
export const upstreamTimeout = (upstream: string, timeoutMs: number, cause?: unknown): AppError =>
  new AppError('upstream_timeout', 504, 'Gateway Timeout', {
    detail: `upstream ${upstream} did not respond within ${timeoutMs} ms`,
    operational: true,
    extensions: { upstream },
    cause,
  });

/** 413: the request body is over the gateway's limit. */
export const bodyTooLarge = (limitBytes: number): AppError =>
  new AppError('payload_too_large', 413, 'Payload Too Large', {
    detail: `The request body exceeds the limit of ${limitBytes} bytes`,
  });

/** 429 with Retry-After. */
export const rateLimited = (limit: number, retryAfterSec: number): AppError =>
  new AppError('rate_limited', 429, 'Too Many Requests', {
    detail: `Rate limit of ${limit} requests per minute exceeded; retry in ${retryAfterSec} s`,
    headers: { 'Retry-After': String(retryAfterSec) },
  });

/** 499 (nginx's code): the client went away before the upstream answered; nobody reads this. */
export const clientClosedRequest = (): AppError =>
  new AppError('client_closed_request', 499, 'Client Closed Request', {
    detail: 'The client closed the connection before the upstream answered',
  });
