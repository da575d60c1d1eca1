// One contract, every de-duplication adapter: memory, Redis (the real test server), and Redis
// with the memory fallback in front, as the service runs it when REDIS_URL is set.
import { randomUUID } from 'node:crypto';
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import {
  createFallbackDedupStore,
  createMemoryDedupStore,
  createRedisDedupStore,
  type DedupStore,
} from '../src/index.js';
import { readyRedis } from './support/harness.js';
import { silentLogger } from './support/logs.js';

const adapters: Array<{ name: string; start(): Promise<{ store: DedupStore; stop(): void }> }> = [
  { name: 'memory', start: async () => ({ store: createMemoryDedupStore(), stop: () => undefined }) },
  {
    name: 'Redis',
    async start() {
      const redis = await readyRedis();
      const store = createRedisDedupStore(redis, { keyPrefix: `${uniqueName('dedup')}:` });
      return { store, stop: () => redis.disconnect() };
    },
  },
  {
    name: 'Redis with memory fallback',
    async start() {
      const redis = await readyRedis();
      const shared = createRedisDedupStore(redis, { keyPrefix: `${uniqueName('dedup')}:` });
      const store = createFallbackDedupStore(shared, createMemoryDedupStore(), silentLogger);
      return { store, stop: () => redis.disconnect() };
    },
  },
];

const MINUTE_MS = 60_000;

for (const adapter of adapters) {
  describe(`DedupStore contract: ${adapter.name}`, function () {
    let store: DedupStore;
    let stop: () => void;
    beforeEach(async function () {
      ({ store, stop } = await adapter.start());
    });
    afterEach(function () {
      stop();
    });

    it('when an event id is new, then the first claim gets it and a second finds it in flight', async function () {
      const id = randomUUID();
      const first = await store.claim(id, MINUTE_MS);
      expect(first.status).to.equal('claimed');
      expect(await store.claim(id, MINUTE_MS)).to.deep.equal({ status: 'in-flight' });
    });

    it('when the event is marked sent, then every later claim finds it sent', async function () {
      const id = randomUUID();
      await store.claim(id, MINUTE_MS);
      await store.markSent(id, 3600);
      expect(await store.claim(id, MINUTE_MS)).to.deep.equal({ status: 'sent' });
      expect(await store.claim(id, MINUTE_MS)).to.deep.equal({ status: 'sent' });
    });

    it('when the claim is released by its holder, then the event can be claimed again', async function () {
      const id = randomUUID();
      const first = await store.claim(id, MINUTE_MS);
      if (first.status !== 'claimed') throw new Error('not claimed');
      await store.release(id, first.token);
      expect((await store.claim(id, MINUTE_MS)).status).to.equal('claimed');
    });

    it('when a release carries another delivery token, then the claim stays', async function () {
      const id = randomUUID();
      const first = await store.claim(id, MINUTE_MS);
      if (first.status !== 'claimed') throw new Error('not claimed');
      await store.release(id, `${randomUUID()}:${randomUUID()}`);
      expect(await store.claim(id, MINUTE_MS)).to.deep.equal({ status: 'in-flight' });
    });

    it('when a claim expires (its holder died), then the event can be claimed again', async function () {
      const id = randomUUID();
      await store.claim(id, 100);
      await eventually(
        'the claim to expire',
        async () => (await store.claim(id, MINUTE_MS)).status === 'claimed',
        5_000,
      );
    });

    it('when the sent mark expires, then the event can be claimed again', async function () {
      const id = randomUUID();
      await store.claim(id, MINUTE_MS);
      await store.markSent(id, 1);
      expect((await store.claim(id, MINUTE_MS)).status).to.equal('sent');
      await eventually(
        'the sent mark to expire',
        async () => (await store.claim(id, MINUTE_MS)).status === 'claimed',
        5_000,
      );
    });

    it('when twenty deliveries claim one event at once, then exactly one gets it', async function () {
      const id = randomUUID();
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(id, MINUTE_MS)));
      expect(claims.filter((c) => c.status === 'claimed')).to.have.length(1);
      expect(claims.filter((c) => c.status === 'in-flight')).to.have.length(19);
    });

    it('when events differ, then their claims do not interfere', async function () {
      const [a, b] = [randomUUID(), randomUUID()];
      await store.claim(a, MINUTE_MS);
      await store.markSent(a, 3600);
      expect((await store.claim(b, MINUTE_MS)).status).to.equal('claimed');
    });
  });
}
