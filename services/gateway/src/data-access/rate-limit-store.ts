import type { Logger } from '@cartwheel/kit';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import type { RateLimitBucket } from '../domain/access-policy.js';

/** The answer for one request: whether it may pass, and what the RateLimit-* headers say. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSec: number;
  windowSec: number;
}

export interface RateLimiter {
  /** Counts one request for `key` (e.g. `user:<sub>` or `ip:<address>`) in `bucket`. */
  consume(bucket: RateLimitBucket, key: string): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions {
  /** Requests per window for each bucket. */
  limits: Record<RateLimitBucket, number>;
  /** Shared counters; without it every gateway instance counts alone (in memory). */
  redis?: Redis;
  /** Namespace of the Redis keys (tests use a unique one per case). */
  keyPrefix?: string;
  windowSec?: number;
}

/**
 * Fixed-window limits per bucket. With Redis, counters are shared by every gateway instance;
 * when Redis fails or is not connected, an in-memory limiter with the same limits answers
 * instead (per instance), so the gateway keeps serving through a Redis outage.
 *
 * @example const limiter = createRateLimiter({ limits: { default: 60, ai: 15, auth: 10 }, redis });
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const duration = options.windowSec ?? 60;
  const prefix = options.keyPrefix ?? 'cartwheel:gateway:rl';
  const limiters = new Map<RateLimitBucket, RateLimiterAbstract>();
  for (const [bucket, points] of Object.entries(options.limits) as [RateLimitBucket, number][]) {
    const keyPrefix = `${prefix}:${bucket}`;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    limiters.set(
      bucket,
      options.redis
        ? new RateLimiterRedis({
            storeClient: options.redis,
            points,
            duration,
            keyPrefix,
            insuranceLimiter: memory,
            // Straight to the insurance limiter while disconnected, instead of waiting on a command.
            rejectIfRedisNotReady: true,
          })
        : memory,
    );
  }

  return {
    async consume(bucket, key) {
      const limiter = limiters.get(bucket);
      if (!limiter) throw new TypeError(`unknown rate-limit bucket ${bucket}`);
      let result: RateLimiterRes;
      let allowed = true;
      try {
        result = await limiter.consume(key);
      } catch (rejection) {
        // Over the limit rejects with a RateLimiterRes; anything else is a bug (the insurance
        // limiter absorbs store errors) and propagates.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        result = rejection;
        allowed = false;
      }
      return {
        allowed,
        limit: limiter.points,
        remaining: result.remainingPoints,
        resetSec: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
        windowSec: duration,
      };
    },
  };
}

/**
 * A Redis client for the limiter that never makes a request wait on Redis: no offline queue, one
 * retry per command at most, a short command timeout, and background reconnects. Errors are
 * logged once per outage, not once per reconnect attempt.
 */
export function createRateLimitRedis(url: string, commandTimeoutMs: number, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'rate-limit Redis unavailable; in-memory limits apply per instance');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('rate-limit Redis is back; limits are shared again');
  });
  return redis;
}
