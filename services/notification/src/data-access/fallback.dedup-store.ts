import type { Logger } from '@cartwheel/kit';
import type { Claim, DedupStore } from '../domain/ports.js';

/**
 * Redis first, memory always: every claim is also taken in this process's memory (so concurrent
 * deliveries here never both send, even while Redis is away), then in Redis (so replicas and
 * restarts agree). When a Redis command fails the answer comes from memory alone, mail keeps
 * flowing, and one warning per outage is logged.
 * Tokens are `<memory token>:<redis token>` (the latter empty when Redis failed).
 */
export function createFallbackDedupStore(shared: DedupStore, local: DedupStore, logger: Logger): DedupStore {
  let degraded = false;
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      const result = await run();
      if (degraded) logger.info('Redis is back: email de-duplication is shared again');
      degraded = false;
      return result;
    } catch (error) {
      if (!degraded) {
        logger.warn(
          { err: error, operation: what },
          'Redis unavailable: email de-duplication falls back to this process (a redelivery after a restart may resend)',
        );
      }
      degraded = true;
      return undefined;
    }
  };

  return {
    async claim(eventId, claimTtlMs): Promise<Claim> {
      const mine = await local.claim(eventId, claimTtlMs);
      if (mine.status !== 'claimed') return mine;
      const theirs = await attempt('claim', () => shared.claim(eventId, claimTtlMs));
      if (!theirs) return { status: 'claimed', token: `${mine.token}:` };
      if (theirs.status !== 'claimed') {
        await local.release(eventId, mine.token);
        return theirs;
      }
      return { status: 'claimed', token: `${mine.token}:${theirs.token}` };
    },
    async markSent(eventId, ttlSec) {
      await local.markSent(eventId, ttlSec);
      await attempt('mark sent', () => shared.markSent(eventId, ttlSec));
    },
    async release(eventId, token) {
      const [mine, theirs] = token.split(':');
      await local.release(eventId, mine);
      if (theirs) await attempt('release', () => shared.release(eventId, theirs));
    },
  };
}
