import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { createFallbackDedupStore, createMemoryDedupStore, createRedisDedupStore } from '../src/index.js';
import { readyRedis } from './support/harness.js';
import { capturedLogger } from './support/logs.js';

const MINUTE_MS = 60_000;

describe('memory de-duplication store', function () {
  it('when more event ids arrive than it may hold, then the oldest are forgotten first', async function () {
    const store = createMemoryDedupStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) {
      await store.claim(id, MINUTE_MS);
      await store.markSent(id, 3600);
    }
    expect((await store.claim('a', MINUTE_MS)).status).to.equal('claimed');
    expect((await store.claim('d', MINUTE_MS)).status).to.equal('sent');
  });
});

describe('Redis de-duplication store', function () {
  let redis: Redis;
  let prefix: string;
  beforeEach(async function () {
    redis = await readyRedis();
    prefix = `${uniqueName('dedup')}:`;
  });
  afterEach(function () {
    redis.disconnect();
  });

  it('when an event is claimed, then sent, then its one key carries the claim expiry, then the de-duplication TTL', async function () {
    const store = createRedisDedupStore(redis, { keyPrefix: prefix });
    const id = randomUUID();

    await store.claim(id, 30_000);
    expect(await redis.get(`${prefix}${id}`)).to.match(/^claim:/);
    expect(await redis.pttl(`${prefix}${id}`)).to.be.within(1, 30_000);

    await store.markSent(id, 7 * 24 * 3600);
    expect(await redis.get(`${prefix}${id}`)).to.equal('sent');
    expect(await redis.ttl(`${prefix}${id}`)).to.be.within(7 * 24 * 3600 - 5, 7 * 24 * 3600);
  });

  it('when two replicas share Redis, then what one claims or sends the other sees', async function () {
    const replicaA = createRedisDedupStore(redis, { keyPrefix: prefix });
    const other = await readyRedis();
    const replicaB = createRedisDedupStore(other, { keyPrefix: prefix });
    const id = randomUUID();
    try {
      await replicaA.claim(id, MINUTE_MS);
      expect(await replicaB.claim(id, MINUTE_MS)).to.deep.equal({ status: 'in-flight' });
      await replicaA.markSent(id, 3600);
      expect(await replicaB.claim(id, MINUTE_MS)).to.deep.equal({ status: 'sent' });
    } finally {
      other.disconnect();
    }
  });
});

describe('Redis with memory fallback', function () {
  it('when Redis goes away, then claims and sent marks keep working from memory with one warning, and are shared again once it is back', async function () {
    const redis = await readyRedis();
    const { logger, lines } = capturedLogger();
    const prefix = `${uniqueName('dedup')}:`;
    const store = createFallbackDedupStore(
      createRedisDedupStore(redis, { keyPrefix: prefix }),
      createMemoryDedupStore(),
      logger,
    );
    const [duringOutage, afterwards] = [randomUUID(), randomUUID()];
    try {
      redis.disconnect();
      if (redis.status !== 'end') await once(redis, 'end');

      const claim = await store.claim(duringOutage, MINUTE_MS);
      expect(claim.status).to.equal('claimed');
      expect(await store.claim(duringOutage, MINUTE_MS)).to.deep.equal({ status: 'in-flight' });
      await store.markSent(duringOutage, 3600);
      expect(await store.claim(duringOutage, MINUTE_MS)).to.deep.equal({ status: 'sent' });
      const warnings = lines.filter((l) => l.level === 'warn');
      expect(warnings).to.have.length(1);
      expect(warnings[0].message).to.match(
        /^Redis unavailable: email de-duplication falls back to this process/,
      );

      await redis.connect();
      expect((await store.claim(afterwards, MINUTE_MS)).status).to.equal('claimed');
      expect(await redis.get(`${prefix}${afterwards}`)).to.match(/^claim:/);
      expect(lines.some((l) => l.message === 'Redis is back: email de-duplication is shared again')).to.equal(
        true,
      );
      // What was sent during the outage is still known here.
      expect(await store.claim(duringOutage, MINUTE_MS)).to.deep.equal({ status: 'sent' });
    } finally {
      redis.disconnect();
    }
  });
});
