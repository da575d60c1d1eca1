import { once } from 'node:events';
import { withTimeout, type Logger } from '@cartwheel/kit';
import { Redis } from 'ioredis';

/**
 * ioredis for de-duplication: commands fail fast while Redis is away (no offline queue, one try,
 * 1 s timeout) so the memory fallback answers at once, and it reconnects in the background.
 * Waits up to 2 s for the first connection; without it, starts anyway.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Outages are reported by the fallback store when a command fails; this keeps ioredis from
  // printing every reconnect failure as an unhandled error event.
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'Redis connection error'));
  await withTimeout(once(redis, 'ready'), 2_000, 'connecting to Redis').catch((error: unknown) =>
    logger.warn({ err: error }, 'Redis not reachable at start: de-duplication uses memory until it is'),
  );
  return redis;
}
