import { setTimeout as sleep } from 'node:timers/promises';

import { expect } from 'chai';

import { createHttpClient, type HttpClient } from '../../src/http-client/index.js';
import { appErrorFrom, json, startUpstream, type Upstream } from './upstream-server.js';

describe('createHttpClient circuit breaker', () => {
  const RESET_MS = 150;
  let upstream: Upstream;
  let client: HttpClient;

  beforeEach(async () => {
    upstream = await startUpstream();
    client = createHttpClient({
      name: 'payments',
      baseUrl: upstream.url,
      retries: 0,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: RESET_MS },
    });
  });

  afterEach(async () => {
    client.close();
    await upstream.close();
  });

  it('when enough calls fail, then it opens and fails fast with 503 without calling the upstream', async () => {
    upstream.handle = (_req, res) => json(res, 500, {});
    await appErrorFrom(client.get('/charges'));
    await appErrorFrom(client.get('/charges'));

    const error = await appErrorFrom(client.get('/charges'));

    expect(client.breakerState()).to.equal('open');
    expect(error).to.include({
      status: 503,
      code: 'upstream_unavailable',
      detail: 'payments is unavailable',
    });
    expect(upstream.hits).to.equal(2);
  });

  it('when the reset timeout passes, then one trial call goes through and its success closes the breaker', async () => {
    upstream.handle = (_req, res) => json(res, 503, {});
    await appErrorFrom(client.get('/charges'));
    await appErrorFrom(client.get('/charges'));
    expect(client.breakerState()).to.equal('open');

    await sleep(RESET_MS + 50);
    expect(client.breakerState()).to.equal('halfOpen');
    upstream.handle = (_req, res) => json(res, 200, { ok: true });
    const response = await client.get('/charges');

    expect(response.body).to.deep.equal({ ok: true });
    expect(client.breakerState()).to.equal('closed');
    expect(upstream.hits).to.equal(3);
  });

  it('when the trial call fails, then the breaker opens again', async () => {
    upstream.handle = (_req, res) => json(res, 500, {});
    await appErrorFrom(client.get('/charges'));
    await appErrorFrom(client.get('/charges'));
    await sleep(RESET_MS + 50);

    await appErrorFrom(client.get('/charges'));

    expect(client.breakerState()).to.equal('open');
    expect(upstream.hits).to.equal(3);
  });

  it('when the upstream answers 4xx, then the breaker stays closed', async () => {
    upstream.handle = (_req, res) => json(res, 404, {});

    for (let i = 0; i < 5; i += 1) await client.get('/charges/missing');

    expect(client.breakerState()).to.equal('closed');
    expect(upstream.hits).to.equal(5);
  });

  it('when retries push failures over the threshold, then the remaining retries fail fast', async () => {
    const retrying = createHttpClient({
      name: 'payments',
      baseUrl: upstream.url,
      retries: 5,
      retryBackoffMs: 1,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: 10_000 },
    });
    upstream.handle = (_req, res) => json(res, 503, {});

    const error = await appErrorFrom(retrying.get('/charges'));
    retrying.close();

    expect(error.code).to.equal('upstream_unavailable');
    expect(upstream.hits).to.equal(2);
  });
});
