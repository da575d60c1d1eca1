import { createEmbeddedBus, createLogger, type RunningService } from '@cartwheel/kit';
import { testServers } from '@cartwheel/testing';
import { expect } from 'chai';

import { service } from '../src/index.js';
import { allRoutesTo, jsonOf } from './support/gateway.js';
import { startUpstream, type FakeUpstream } from './support/upstream.js';

describe('gateway service', () => {
  let upstream: FakeUpstream;
  let running: RunningService | undefined;
  const logger = createLogger({ service: 'gateway', level: 'silent' });
  const bus = createEmbeddedBus({ logger });

  before(async () => {
    upstream = await startUpstream();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  after(async () => {
    await upstream.close();
    await bus.close();
  });

  const start = (env: Record<string, string>) =>
    service.start({ mode: 'connected', dataDir: '.data', bus, logger, env }, 0);

  it('when started from its environment (with Redis), then it proxies, is ready, and stops cleanly', async () => {
    running = await start({ ...allRoutesTo(upstream.url), REDIS_URL: testServers().redisUrl });
    expect(service).to.include({ name: 'gateway', defaultPort: 8080 });
    const res = await fetch(`${running.url}/api/v1/products?category=books`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('ratelimit-limit')).to.equal('60');
    expect(await jsonOf(res)).to.deep.equal({ method: 'GET', url: '/api/v1/products?category=books' });
    expect((await fetch(`${running.url}/ready`)).status).to.equal(200);

    const url = running.url;
    await running.stop();
    running = undefined;
    let refused: unknown;
    try {
      await fetch(`${url}/health`);
    } catch (error) {
      refused = error;
    }
    expect(refused, 'nothing listens after stop').to.be.instanceOf(Error);
  });

  it('when a variable is invalid, then start fails naming it', async () => {
    let error: unknown;
    try {
      running = await start({ UPSTREAM_TIMEOUT_MS: 'soon' });
    } catch (thrown) {
      error = thrown;
    }
    expect(String(error)).to.include('UPSTREAM_TIMEOUT_MS');
  });
});
