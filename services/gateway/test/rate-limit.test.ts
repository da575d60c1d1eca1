import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createLogger } from '@cartwheel/kit';
import { expect } from 'chai';
import type { Redis } from 'ioredis';

// The harness's own Redis starter (not exported by @cartwheel/testing yet; bench/run.ts does the same).
import {
  eventually,
  readBinaries,
  startRedis,
  testServers,
  uniqueName,
  type RunningServer,
} from '@cartwheel/testing';
import { createRateLimitRedis } from '../src/data-access/rate-limit-store.js';
import {
  allRoutesTo,
  jsonOf,
  metricValue,
  startGateway,
  testIssuer,
  type RunningGateway,
} from './support/gateway.js';
import { startUpstream, type FakeUpstream } from './support/upstream.js';

const quiet = createLogger({ service: 'gateway-test', level: 'silent' });

/** Sends `count` requests one after another and returns the statuses. */
async function burst(count: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await send();
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('gateway rate limits', () => {
  let upstream: FakeUpstream;
  let tokenA: string;
  let tokenB: string;

  before(async () => {
    upstream = await startUpstream();
    const issuer = await testIssuer();
    tokenA = await issuer.token({ subject: 'rate-a', roles: ['user'] });
    tokenB = await issuer.token({ subject: 'rate-b', roles: ['user'] });
  });
  after(() => upstream.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('in memory (no REDIS_URL)', () => {
    let gw: RunningGateway;
    beforeEach(async () => {
      gw = await startGateway({ env: allRoutesTo(upstream.url) });
    });
    afterEach(() => gw.close());

    it('when the 61st request of a minute arrives, then it gets 429 problem+json with Retry-After', async () => {
      const send = () => fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) });
      const first = await send();
      expect(first.headers.get('ratelimit-limit')).to.equal('60');
      expect(first.headers.get('ratelimit-remaining')).to.equal('59');
      expect(Number(first.headers.get('ratelimit-reset'))).to.be.within(1, 60);
      const statuses = await burst(59, send);
      expect(statuses.every((s) => s === 200)).to.equal(true);
      const over = await send();
      expect(over.status).to.equal(429);
      expect(over.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(Number(over.headers.get('retry-after'))).to.be.within(1, 60);
      expect(over.headers.get('ratelimit-remaining')).to.equal('0');
      expect((await jsonOf(over)).status).to.equal(429);
      expect(await metricValue(gw.url, 'gateway_rate_limited_total', { bucket: 'default' })).to.equal(1);
    });

    it('when a signed-in user used up the limit, then another user and anonymous callers from the same IP still pass', async () => {
      await burst(60, () => fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) }));
      expect((await fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) })).status).to.equal(429);
      expect((await fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenB) })).status).to.equal(200);
      expect((await fetch(`${gw.url}/api/v1/products`)).status).to.equal(200);
    });

    it('when anonymous callers share an IP, then they share its limit', async () => {
      const statuses = await burst(61, () => fetch(`${gw.url}/api/v1/products`));
      expect(statuses.slice(0, 60).every((s) => s === 200)).to.equal(true);
      expect(statuses[60]).to.equal(429);
    });

    it('when /api/v1/ai is called, then its own limit of 15 a minute applies', async () => {
      const send = () => fetch(`${gw.url}/api/v1/ai/chat`, { method: 'POST', headers: bearer(tokenA) });
      const statuses = await burst(16, send);
      expect(statuses.filter((s) => s === 200)).to.have.length(15);
      expect(statuses[15]).to.equal(429);
      expect((await fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) })).status).to.equal(200);
    });

    it('when login or register is called, then 10 a minute per IP apply, whoever the token names', async () => {
      const statuses = await burst(11, () =>
        fetch(`${gw.url}/api/v1/auth/login`, { method: 'POST', headers: bearer(tokenA) }),
      );
      expect(statuses.slice(0, 10).every((s) => s === 200)).to.equal(true);
      expect(statuses[10]).to.equal(429);
      const register = await fetch(`${gw.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: bearer(tokenB),
      });
      expect(register.status).to.equal(429);
      expect(await metricValue(gw.url, 'gateway_rate_limited_total', { bucket: 'auth' })).to.equal(2);
    });

    it('when requests are not under /api, then they are not limited', async () => {
      const statuses = await burst(70, () => fetch(`${gw.url}/.well-known/jwks.json`));
      expect(statuses.every((s) => s === 200)).to.equal(true);
    });
  });

  describe('client IP behind proxies', () => {
    it('when TRUST_PROXY is off, then X-Forwarded-For cannot make one client look like many', async () => {
      const gw = await startGateway({ env: { ...allRoutesTo(upstream.url), RATE_LIMIT_PER_MINUTE: '3' } });
      try {
        const statuses = await burst(4, async () =>
          fetch(`${gw.url}/api/v1/products`, {
            headers: { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}` },
          }),
        );
        expect(statuses).to.deep.equal([200, 200, 200, 429]);
      } finally {
        await gw.close();
      }
    });

    it('when TRUST_PROXY is on, then each client behind the proxy has its own limit', async () => {
      const gw = await startGateway({
        env: { ...allRoutesTo(upstream.url), RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' },
      });
      try {
        const from = (ip: string) => () =>
          fetch(`${gw.url}/api/v1/products`, { headers: { 'x-forwarded-for': `10.9.9.9, ${ip}` } });
        expect(await burst(4, from('198.51.100.1'))).to.deep.equal([200, 200, 200, 429]);
        expect(await burst(1, from('198.51.100.2'))).to.deep.equal([200]);
        expect(upstream.requests.at(-1)?.headers['x-forwarded-for']).to.equal('198.51.100.2, 127.0.0.1');
      } finally {
        await gw.close();
      }
    });
  });

  describe('shared through Redis', () => {
    let redisA: Redis;
    let redisB: Redis;
    before(() => {
      redisA = createRateLimitRedis(testServers().redisUrl, 250, quiet);
      redisB = createRateLimitRedis(testServers().redisUrl, 250, quiet);
    });
    after(() => {
      redisA.disconnect();
      redisB.disconnect();
    });

    it('when two gateway instances share Redis, then the 61st request across both gets 429', async () => {
      // No offline queue: until connected, requests would be counted by the in-memory insurance limiter.
      await eventually(
        'both clients are connected',
        () => redisA.status === 'ready' && redisB.status === 'ready',
      );
      const prefix = uniqueName('shared');
      const env = allRoutesTo(upstream.url);
      const [one, two] = await Promise.all([
        startGateway({ env, redis: redisA, rateLimitKeyPrefix: prefix }),
        startGateway({ env, redis: redisB, rateLimitKeyPrefix: prefix }),
      ]);
      try {
        const via = (gw: RunningGateway) => () =>
          fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) });
        const statuses = [...(await burst(30, via(one))), ...(await burst(30, via(two)))];
        expect(statuses.every((s) => s === 200)).to.equal(true);
        const last = await via(one)();
        expect(last.headers.get('ratelimit-remaining')).to.equal('0');
        expect(last.status).to.equal(429);
        expect((await via(two)()).status).to.equal(429);
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });
  });

  describe('when Redis dies', () => {
    let own: RunningServer | undefined;
    let workDir: string;
    let redis: Redis;
    let gw: RunningGateway;

    before(async () => {
      workDir = mkdtempSync(path.join(os.tmpdir(), 'gateway-redis-'));
      own = await startRedis(readBinaries(), workDir);
      redis = createRateLimitRedis(own.url, 250, quiet);
      await eventually('our redis-server answers', async () => redis.status === 'ready', 10_000);
      gw = await startGateway({ env: { ...allRoutesTo(upstream.url), RATE_LIMIT_PER_MINUTE: '5' }, redis });
    });
    after(async () => {
      await gw.close();
      redis.disconnect();
      await own?.stop();
      rmSync(workDir, { recursive: true, force: true });
    });

    it('then the gateway keeps answering, limited in memory by the insurance limiter', async () => {
      const send = () => fetch(`${gw.url}/api/v1/orders`, { headers: bearer(tokenA) });
      expect(await burst(2, send)).to.deep.equal([200, 200]);
      expect(await redis.keys('*')).to.not.have.length(0); // the counters really were in Redis
      await own?.stop();
      await eventually('the client notices Redis is gone', () => redis.status !== 'ready', 10_000);
      const during = await burst(6, send);
      expect(during.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
      expect(during[5]).to.equal(429);
      const res = await send();
      expect(res.headers.get('ratelimit-limit')).to.equal('5');
    });
  });
});
