import { once } from 'node:events';
import { testServers, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createLoginLimiter, type LoginLimiterOptions } from '../src/index.js';
import { newAccount, startUserApp, type UserApp } from './support.js';

const WINDOW_SEC = 600;
let ipCounter = 0;
/** A client address of its own (the app trusts X-Forwarded-For, as behind the gateway), so tests do not share IP counts. */
const freshIp = () => `198.51.100.${(ipCounter += 1)}`;

async function readyRedis(): Promise<Redis> {
  const redis = new Redis(testServers().redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  if (redis.status !== 'ready') await once(redis, 'ready');
  return redis;
}

function loginAs(user: UserApp, ip: string) {
  return (email: string, password: string) =>
    user.api.post('/api/v1/auth/login', {
      form: { username: email, password },
      headers: { 'x-forwarded-for': ip },
    });
}

type Store = 'memory' | 'redis';

for (const store of ['memory', 'redis'] as Store[]) {
  describe(`user service: login brute-force limits (${store})`, () => {
    let user: UserApp;
    let redis: Redis | undefined;
    let keyPrefix: string;

    const limits = (overrides: Partial<LoginLimiterOptions> = {}) =>
      createLoginLimiter({
        maxFailuresPerAccount: 3,
        maxFailuresPerIp: 1000,
        windowSec: WINDOW_SEC,
        redis,
        keyPrefix,
        ...overrides,
      });

    before(async () => {
      keyPrefix = uniqueName('login');
      redis = store === 'redis' ? await readyRedis() : undefined;
      user = await startUserApp({ limiter: limits() });
    });

    after(async () => {
      await user.close();
      redis?.disconnect();
    });

    it('when an account fails N times, then the N+1th attempt gets 429 with Retry-After, even with the right password', async () => {
      const account = await user.signUp();
      const login = loginAs(user, freshIp());

      const failures = [];
      for (let i = 0; i < 3; i += 1) failures.push((await login(account.email, 'Wrong-password1')).status);
      const blocked = await login(account.email, account.password);

      expect(failures).to.deep.equal([401, 401, 401]);
      expect(blocked.status).to.equal(429);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, WINDOW_SEC);
      expect(blocked.body.detail).to.contain(`${retryAfter} s`);
      if (redis) expect(await redis.keys(`${keyPrefix}:account:*`)).to.have.length.greaterThan(0);
    });

    it('when a login succeeds, then the account count starts again', async () => {
      const account = await user.signUp();
      const login = loginAs(user, freshIp());

      const statuses = [];
      for (const password of ['Wrong-password1', 'Wrong-password1', account.password]) {
        statuses.push((await login(account.email, password)).status);
      }
      for (let i = 0; i < 3; i += 1) statuses.push((await login(account.email, 'Wrong-password1')).status);
      statuses.push((await login(account.email, 'Wrong-password1')).status);

      expect(statuses).to.deep.equal([401, 401, 200, 401, 401, 401, 429]);
    });

    it('when an unknown email is guessed N+1 times, then it is limited like a real account (no enumeration)', async () => {
      const login = loginAs(user, freshIp());
      const email = newAccount().email;

      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await login(email, 'Wrong-password1')).status);

      expect(statuses).to.deep.equal([401, 401, 401, 429]);
    });

    it('when one IP fails across many accounts, then it is blocked after its own limit while other IPs are not', async () => {
      const perIp = await startUserApp({
        limiter: limits({ maxFailuresPerAccount: 100, maxFailuresPerIp: 4 }),
      });
      try {
        const ip = freshIp();
        const login = loginAs(perIp, ip);
        const statuses = [];
        for (let i = 0; i < 5; i += 1)
          statuses.push((await login(newAccount().email, 'Wrong-password1')).status);
        const account = await perIp.signUp();
        const blockedRight = await login(account.email, account.password);
        const elsewhere = await loginAs(perIp, freshIp())(account.email, account.password);

        expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
        expect(blockedRight.status).to.equal(429);
        expect(elsewhere.status).to.equal(200);
      } finally {
        await perIp.close();
      }
    });

    if (store === 'redis') {
      it('when two replicas share Redis, then failures on one count on the other', async () => {
        const replica = await startUserApp({ db: user.db, limiter: limits() });
        try {
          const account = await user.signUp();
          const ip = freshIp();
          for (let i = 0; i < 3; i += 1) await loginAs(user, ip)(account.email, 'Wrong-password1');

          const onReplica = await loginAs(replica, ip)(account.email, account.password);

          expect(onReplica.status).to.equal(429);
        } finally {
          await replica.close();
        }
      });
    }
  });
}

describe('user service: login limits when Redis is down', () => {
  let user: UserApp;
  let deadRedis: Redis;

  before(async () => {
    // Nothing listens on port 1: every command fails, the insurance limiter (memory) takes over.
    deadRedis = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 1000,
    });
    deadRedis.on('error', () => {});
    user = await startUserApp({
      limiter: createLoginLimiter({
        maxFailuresPerAccount: 2,
        maxFailuresPerIp: 1000,
        windowSec: WINDOW_SEC,
        redis: deadRedis,
        keyPrefix: uniqueName('login'),
      }),
    });
  });

  after(async () => {
    await user.close();
    deadRedis.disconnect();
  });

  it('when Redis cannot be reached, then logins still work and brute force is still limited in memory', async () => {
    const account = await user.signUp();
    const login = loginAs(user, freshIp());

    const ok = await login(account.email, account.password);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await login(account.email, 'Wrong-password1')).status);

    expect(deadRedis.status).to.not.equal('ready');
    expect(ok.status).to.equal(200);
    expect(statuses).to.deep.equal([401, 401, 429]);
  });
});
