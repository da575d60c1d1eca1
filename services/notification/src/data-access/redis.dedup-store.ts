import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Claim, DedupStore } from '../domain/ports.js';

export const DEFAULT_KEY_PREFIX = 'cartwheel:notification:event:';

export interface RedisDedupStoreOptions {
  /** Key namespace (tests use a unique one). The key of an event is `<prefix><event id>`. */
  keyPrefix?: string;
}

const SENT = 'sent';
// Deletes the key only while it still holds our claim: a claim that expired and was taken over
// by another delivery must not be released by us.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * De-duplication shared by every replica through Redis, one key per event id:
 * claim = `SET key claim:<token> NX PX claimTtl`, sent = `SET key sent EX ttl` (overwrites the
 * claim), release = compare-and-delete (Lua). Commands fail fast while Redis is away; the
 * fallback store then answers from memory.
 *
 * @example const dedup = createRedisDedupStore(new Redis(url));
 */
export function createRedisDedupStore(redis: Redis, options: RedisDedupStoreOptions = {}): DedupStore {
  const key = (eventId: string) => `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}${eventId}`;
  return {
    async claim(eventId, claimTtlMs): Promise<Claim> {
      const token = randomUUID();
      if ((await redis.set(key(eventId), `claim:${token}`, 'PX', claimTtlMs, 'NX')) === 'OK') {
        return { status: 'claimed', token };
      }
      // A claim that lapsed between the two commands reads as null: in flight, the caller retries.
      return (await redis.get(key(eventId))) === SENT ? { status: 'sent' } : { status: 'in-flight' };
    },
    async markSent(eventId, ttlSec) {
      await redis.set(key(eventId), SENT, 'EX', ttlSec);
    },
    async release(eventId, token) {
      await redis.eval(RELEASE, 1, key(eventId), `claim:${token}`);
    },
  };
}
