import type { Middleware } from 'koa';

import { rateLimitBucket } from '../../domain/access-policy.js';
import { rateLimited } from '../../domain/gateway-errors.js';
import type { RateLimiter } from '../../data-access/rate-limit-store.js';
import type { GatewayMetrics } from '../../metrics.js';

/** Headers of ours that an upstream's response must not override. */
export const isRateLimitHeader = (name: string) => name.startsWith('ratelimit-');

/**
 * Counts each `/api/` request in its bucket, keyed by the verified token's subject when there is
 * one (so a user is one user from any address) and by client IP otherwise; sign-in and sign-up
 * are always per IP. Sets `RateLimit-Limit/-Remaining/-Reset` (IETF draft) on the response, and
 * refuses with 429 and Retry-After when the bucket is empty.
 */
export function rateLimit(limiter: RateLimiter, metrics: GatewayMetrics): Middleware {
  return async (ctx, next) => {
    const bucket = rateLimitBucket(ctx.method, ctx.path);
    if (!bucket) return next();
    const identity = ctx.state.identity;
    const key =
      identity && bucket !== 'auth'
        ? `user:${identity.issuer}:${identity.subject}`
        : `ip:${ctx.state.client?.ip ?? 'unknown'}`;
    const decision = await limiter.consume(bucket, key);
    ctx.set({
      'RateLimit-Limit': String(decision.limit),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(decision.resetSec),
      'RateLimit-Policy': `${decision.limit};w=${decision.windowSec}`,
    });
    if (!decision.allowed) {
      metrics.rateLimited.inc({ bucket });
      throw rateLimited(decision.limit, decision.resetSec);
    }
    await next();
  };
}
