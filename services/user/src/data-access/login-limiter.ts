import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { LimitDecision, LoginLimiter } from '../domain/ports.js';

export interface LoginLimiterOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowSec: number;
  /** Counters shared by every replica; without it they live in this process. */
  redis?: Redis;
  /** Namespace of the counters' keys (tests use their own). */
  keyPrefix?: string;
}

/** Redis keys name accounts by digest, so the store never holds email addresses. */
const accountKey = (account: string) => createHash('sha256').update(account).digest('base64url');

/**
 * rate-limiter-flexible counters per account and per client IP. Each attempt consumes a point
 * up front, so concurrent guesses cannot slip past the limit between a check and a count; a
 * success deletes the account's count and gives the IP its point back. With Redis, a failing or
 * unreachable Redis falls back to in-memory counters (the insurance limiter) instead of failing
 * logins.
 */
export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const prefix = options.keyPrefix ?? 'cartwheel:login';
  const limiter = (name: string, points: number): RateLimiterAbstract => {
    const base = { points, duration: options.windowSec, keyPrefix: `${prefix}:${name}` };
    const memory = new RateLimiterMemory(base);
    if (!options.redis) return memory;
    return new RateLimiterRedis({
      ...base,
      storeClient: options.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };
  const byAccount = limiter('account', options.maxFailuresPerAccount);
  const byIp = limiter('ip', options.maxFailuresPerIp);

  return {
    async attempt(account, ip): Promise<LimitDecision> {
      const results = await Promise.allSettled([byAccount.consume(accountKey(account)), byIp.consume(ip)]);
      let blocked = false;
      let retryMs = 0;
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
        blocked = true;
        retryMs = Math.max(retryMs, result.reason.msBeforeNext);
      }
      return blocked
        ? { allowed: false, retryAfterSec: Math.max(1, Math.ceil(retryMs / 1000)) }
        : { allowed: true };
    },
    async succeeded(account, ip) {
      await Promise.all([byAccount.delete(accountKey(account)), byIp.reward(ip, 1)]);
    },
  };
}
