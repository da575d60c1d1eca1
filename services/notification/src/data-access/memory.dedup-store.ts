import { randomUUID } from 'node:crypto';
import type { Claim, DedupStore } from '../domain/ports.js';

export interface MemoryDedupStoreOptions {
  /** Most event ids remembered; the oldest are forgotten first (default 100,000). */
  maxEntries?: number;
}

interface Entry {
  /** `sent`, or the token of the claim. */
  value: string;
  expiresAt: number;
}

/**
 * De-duplication in this process's memory (no `REDIS_URL`, or Redis unreachable): the same
 * claim/sent states as Redis, with expiry, bounded to `maxEntries` ids (oldest out first).
 * Forgotten on restart, and not shared between replicas.
 *
 * @example const dedup = createMemoryDedupStore({ maxEntries: 10_000 });
 */
export function createMemoryDedupStore(options: MemoryDedupStoreOptions = {}): DedupStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();

  const current = (eventId: string): Entry | undefined => {
    const entry = entries.get(eventId);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(eventId);
      return undefined;
    }
    return entry;
  };
  const put = (eventId: string, value: string, ttlMs: number) => {
    // Re-inserting moves the id to the end of the Map's order, which is the eviction order.
    entries.delete(eventId);
    entries.set(eventId, { value, expiresAt: Date.now() + ttlMs });
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };

  return {
    async claim(eventId, claimTtlMs): Promise<Claim> {
      const entry = current(eventId);
      if (entry) return entry.value === 'sent' ? { status: 'sent' } : { status: 'in-flight' };
      const token = randomUUID();
      put(eventId, token, claimTtlMs);
      return { status: 'claimed', token };
    },
    async markSent(eventId, ttlSec) {
      put(eventId, 'sent', ttlSec * 1000);
    },
    async release(eventId, token) {
      if (current(eventId)?.value === token) entries.delete(eventId);
    },
  };
}
