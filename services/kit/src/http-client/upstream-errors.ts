import { AppError } from '../errors/app-error.js';

/** A response the client received but treats as a failure (5xx); kept as `cause` so logs show what the upstream said. */
export class UpstreamStatusError extends Error {
  constructor(
    readonly upstream: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${upstream} responded ${status}`);
    this.name = 'UpstreamStatusError';
  }
}

// Upstream outages are expected conditions, not bugs in this service, so they are operational:
// the problem document keeps its detail naming the upstream.

/** 503: the circuit is open or the upstream cannot be reached. */
export const upstreamUnavailable = (upstream: string, cause?: unknown): AppError =>
  new AppError('upstream_unavailable', 503, 'Service Unavailable', {
    detail: `${upstream} is unavailable`,
    operational: true,
    cause,
  });

/** 504: the upstream did not answer in time. */
export const upstreamTimeout = (upstream: string, timeoutMs: number, cause?: unknown): AppError =>
  new AppError('upstream_timeout', 504, 'Gateway Timeout', {
    detail: `${upstream} did not respond within ${timeoutMs} ms`,
    operational: true,
    cause,
  });

/** The upstream kept answering 5xx: its 503/504 are passed on as such, anything else is a 502. */
export function upstreamFailed(error: UpstreamStatusError, timeoutMs: number): AppError {
  if (error.status === 503) return upstreamUnavailable(error.upstream, error);
  if (error.status === 504) return upstreamTimeout(error.upstream, timeoutMs, error);
  return new AppError('upstream_error', 502, 'Bad Gateway', {
    detail: `${error.upstream} failed (status ${error.status})`,
    operational: true,
    cause: error,
  });
}
