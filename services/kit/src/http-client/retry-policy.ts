/** Methods that are safe to send twice by definition (RFC 9110 §9.2.2), so a retry cannot double an effect. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Statuses that mean "the upstream (or a proxy in front of it) could not handle this right now",
 * where a later attempt may succeed. A 500 is excluded: it usually means a bug that repeats.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Never wait longer than this between attempts, whatever the base and attempt number. */
export const MAX_BACKOFF_MS = 5_000;

/** A request may be retried when its method is idempotent, or the caller vouches for it (e.g. an idempotency key). */
export function isIdempotent(method: string, declared?: boolean): boolean {
  return declared ?? IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential, with "equal jitter"
 * (half fixed, half random) so that callers failing together do not retry in lockstep, while
 * still waiting at least half the nominal delay.
 *
 * @example await sleep(backoffDelay(attempt, 100)); // 50–100 ms, then 100–200 ms, ...
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const nominal = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
