import { expect } from 'chai';

import { createClientCredentialsTokens, createHttpClient } from '../../src/http-client/index.js';
import { appErrorFrom, json, startUpstream, type Upstream } from './upstream-server.js';

describe('createClientCredentialsTokens', () => {
  let upstream: Upstream;
  let clock: number;

  /** Answers every token request with a new token `t<hit>` valid for `expiresIn` seconds. */
  const issueTokens = (expiresIn: number | undefined = 300) => {
    upstream.handle = (_req, res, hit) =>
      json(res, 200, { access_token: `t${hit}`, token_type: 'bearer', expires_in: expiresIn });
  };

  const tokensFor = (overrides: { clientSecret?: string; fetchTimeoutMs?: number } = {}) =>
    createClientCredentialsTokens({
      tokenUrl: `${upstream.url}/api/v1/auth/token`,
      clientId: 'order',
      clientSecret: overrides.clientSecret ?? 's3cret',
      fetchTimeoutMs: overrides.fetchTimeoutMs,
      now: () => clock,
    });

  beforeEach(async () => {
    upstream = await startUpstream();
    clock = 1_000_000;
  });

  afterEach(async () => {
    await upstream.close();
  });

  it('when a token is requested, then it posts the client-credentials grant with HTTP Basic client authentication', async () => {
    issueTokens();

    const token = await tokensFor({ clientSecret: 'p:ss w/rd%' })();

    expect(token).to.equal('t1');
    const seen = upstream.requests[0];
    expect(seen.method).to.equal('POST');
    expect(seen.url).to.equal('/api/v1/auth/token');
    expect(seen.headers['content-type']).to.equal('application/x-www-form-urlencoded');
    expect(seen.body).to.equal('grant_type=client_credentials');
    const basic = Buffer.from(String(seen.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    const [id, secret] = basic.split(':').map(decodeURIComponent);
    expect({ id, secret }).to.deep.equal({ id: 'order', secret: 'p:ss w/rd%' });
  });

  it('when the token is still fresh, then later calls reuse it without asking again', async () => {
    issueTokens(300);
    const getToken = tokensFor();

    await getToken();
    clock += 200_000;
    const again = await getToken();

    expect(again).to.equal('t1');
    expect(upstream.hits).to.equal(1);
  });

  it('when the token is within 30 s of expiring, then a new one is fetched', async () => {
    issueTokens(300);
    const getToken = tokensFor();

    await getToken();
    clock += 271_000;
    const renewed = await getToken();

    expect(renewed).to.equal('t2');
    expect(upstream.hits).to.equal(2);
  });

  it('when a short-lived token is issued, then it is renewed at half its lifetime rather than cached past expiry', async () => {
    issueTokens(20);
    const getToken = tokensFor();

    await getToken();
    clock += 9_000;
    expect(await getToken()).to.equal('t1');
    clock += 1_000;
    expect(await getToken()).to.equal('t2');
  });

  it('when many callers ask at once, then one request is made and all get the same token', async () => {
    upstream.handle = (_req, res, hit) =>
      setTimeout(() => json(res, 200, { access_token: `t${hit}`, expires_in: 300 }), 50);
    const getToken = tokensFor();

    const tokens = await Promise.all(Array.from({ length: 20 }, () => getToken()));

    expect(new Set(tokens)).to.deep.equal(new Set(['t1']));
    expect(upstream.hits).to.equal(1);
  });

  it('when the endpoint refuses the client, then it rejects with 503 service_token_unavailable and the next call asks again', async () => {
    upstream.handle = (_req, res, hit) =>
      hit === 1 ? json(res, 401, { title: 'Unauthorized' }) : json(res, 200, { access_token: 'ok' });
    const getToken = tokensFor();

    const error = await appErrorFrom(getToken());
    const retried = await getToken();

    expect(error).to.include({ status: 503, code: 'service_token_unavailable' });
    expect(String((error.cause as Error).message)).to.contain('answered 401');
    expect(retried).to.equal('ok');
    expect(upstream.hits).to.equal(2);
  });

  it('when the endpoint answers without an access_token, then it rejects with 503', async () => {
    upstream.handle = (_req, res) => json(res, 200, { token_type: 'bearer' });

    const error = await appErrorFrom(tokensFor()());

    expect(error).to.include({ status: 503, code: 'service_token_unavailable' });
    expect(String((error.cause as Error).message)).to.contain('without an access_token');
  });

  it('when the endpoint does not answer in time, then it rejects with 503', async () => {
    upstream.handle = (_req, res) => {
      const timer = setTimeout(() => json(res, 200, { access_token: 'late' }), 1000);
      res.on('close', () => clearTimeout(timer));
    };

    const error = await appErrorFrom(tokensFor({ fetchTimeoutMs: 50 })());

    expect(error).to.include({ status: 503, code: 'service_token_unavailable' });
  });

  it('when used as an HTTP client getToken, then upstream calls carry the bearer token', async () => {
    upstream.handle = (req, res) =>
      req.url === '/token'
        ? json(res, 200, { access_token: 'svc-token', expires_in: 300 })
        : json(res, 200, { ok: true });
    const getToken = createClientCredentialsTokens({
      tokenUrl: `${upstream.url}/token`,
      clientId: 'order',
      clientSecret: 's3cret',
    });
    const client = createHttpClient({ name: 'inventory', baseUrl: upstream.url, getToken });

    try {
      await client.get('/stock');
      await client.get('/stock');
    } finally {
      client.close();
    }

    const calls = upstream.requests.filter((r) => r.url === '/stock');
    expect(calls.map((r) => r.headers.authorization)).to.deep.equal(['Bearer svc-token', 'Bearer svc-token']);
    expect(upstream.requests.filter((r) => r.url === '/token')).to.have.length(1);
  });
});
