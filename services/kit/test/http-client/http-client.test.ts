import { expect } from 'chai';

import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/http-client/index.js';
import { appErrorFrom, eventually, json, startUpstream, type Upstream } from './upstream-server.js';

describe('createHttpClient', () => {
  let upstream: Upstream;
  let client: HttpClient;

  const clientFor = (overrides: Partial<HttpClientOptions> = {}) => {
    client = createHttpClient({ name: 'inventory', baseUrl: upstream.url, retryBackoffMs: 5, ...overrides });
    return client;
  };

  /** Answers `status` for the first `times` hits, then 200. */
  const failFirst = (times: number, status: number) => {
    upstream.handle = (_req, res, hit) =>
      hit <= times ? json(res, status, { hit }) : json(res, 200, { hit });
  };

  beforeEach(async () => {
    upstream = await startUpstream();
  });

  afterEach(async () => {
    client?.close();
    await upstream.close();
  });

  it('when the upstream answers JSON, then status, lower-case headers and the parsed body are returned', async () => {
    upstream.handle = (_req, res) => json(res, 200, { sku: 'A-1', available: 3 });

    const response = await clientFor().get('/stock/A-1', {
      query: { warehouse: 'north', ids: [1, 2], skip: undefined },
    });

    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.body).to.deep.equal({ sku: 'A-1', available: 3 });
    expect(upstream.requests[0].url).to.equal('/stock/A-1?warehouse=north&ids=1&ids=2');
  });

  it('when a base URL has a path prefix, then the request path is appended to it', async () => {
    await clientFor({ baseUrl: `${upstream.url}/api/v1/` }).get('/orders');

    expect(upstream.requests[0].url).to.equal('/api/v1/orders');
  });

  it('when posting an object, then it is sent as JSON', async () => {
    await clientFor().post('/reservations', { orderId: 'o-1', items: [{ sku: 'A-1', quantity: 2 }] });

    const seen = upstream.requests[0];
    expect(seen.method).to.equal('POST');
    expect(seen.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(seen.body)).to.deep.equal({ orderId: 'o-1', items: [{ sku: 'A-1', quantity: 2 }] });
  });

  it('when the upstream does not answer in time, then it throws 504 upstream_timeout and aborts the request', async () => {
    upstream.handle = (_req, res) => {
      const timer = setTimeout(() => json(res, 200, {}), 1000);
      res.on('close', () => clearTimeout(timer));
    };

    const error = await appErrorFrom(clientFor({ timeoutMs: 50, retries: 0 }).get('/slow'));

    expect(error).to.include({ status: 504, code: 'upstream_timeout' });
    expect(error.detail).to.equal('inventory did not respond within 50 ms');
    expect(await eventually(() => upstream.requests[0]?.aborted === true), 'server saw the abort').to.equal(
      true,
    );
  });

  it('when a GET gets 503 twice, then it is retried and the third answer is returned', async () => {
    failFirst(2, 503);

    const response = await clientFor({ retries: 2 }).get('/stock');

    expect(response).to.deep.include({ status: 200, body: { hit: 3 } });
    expect(upstream.hits).to.equal(3);
  });

  it('when a GET keeps getting 503, then it stops after `retries` retries and throws 503 upstream_unavailable', async () => {
    failFirst(Infinity, 503);

    const error = await appErrorFrom(clientFor({ retries: 2 }).get('/stock'));

    expect(error).to.include({
      status: 503,
      code: 'upstream_unavailable',
      detail: 'inventory is unavailable',
    });
    expect(upstream.hits).to.equal(3);
  });

  it('when a GET times out once, then it is retried', async () => {
    upstream.handle = (_req, res, hit) => {
      if (hit > 1) return json(res, 200, { hit });
      const timer = setTimeout(() => json(res, 200, {}), 1000);
      res.on('close', () => clearTimeout(timer));
    };

    const response = await clientFor({ timeoutMs: 50, retries: 1 }).get('/stock');

    expect(response.body).to.deep.equal({ hit: 2 });
  });

  it('when the connection is dropped once, then a GET is retried', async () => {
    upstream.handle = (req, res, hit) => (hit === 1 ? req.socket.destroy() : json(res, 200, { hit }));

    const response = await clientFor({ retries: 1 }).get('/stock');

    expect(response.body).to.deep.equal({ hit: 2 });
    expect(upstream.hits).to.equal(2);
  });

  it('when nothing listens at the base URL, then it throws 503 upstream_unavailable', async () => {
    const error = await appErrorFrom(clientFor({ baseUrl: 'http://127.0.0.1:1', retries: 1 }).get('/stock'));

    expect(error).to.include({ status: 503, code: 'upstream_unavailable' });
  });

  it('when a POST gets 503, then it is not retried', async () => {
    failFirst(1, 503);

    const error = await appErrorFrom(clientFor({ retries: 2 }).post('/reservations', { orderId: 'o-1' }));

    expect(error.status).to.equal(503);
    expect(upstream.hits).to.equal(1);
  });

  it('when a POST is declared idempotent, then it is retried on 502', async () => {
    failFirst(2, 502);

    const response = await clientFor({ retries: 2 }).post(
      '/reservations',
      { orderId: 'o-1' },
      { idempotent: true, headers: { 'Idempotency-Key': 'o-1' } },
    );

    expect(response.status).to.equal(200);
    expect(upstream.hits).to.equal(3);
    expect(upstream.requests.map((r) => r.headers['idempotency-key'])).to.deep.equal(['o-1', 'o-1', 'o-1']);
  });

  it('when the upstream answers 404, then it is returned, not thrown, and not retried', async () => {
    upstream.handle = (_req, res) => json(res, 404, { detail: 'Product not found' });

    const response = await clientFor().get('/products/missing');

    expect(response).to.deep.include({ status: 404, body: { detail: 'Product not found' } });
    expect(upstream.hits).to.equal(1);
  });

  it('when the upstream answers 500, then a GET is not retried and a 502 upstream_error is thrown', async () => {
    upstream.handle = (_req, res) => json(res, 500, { detail: 'boom' });

    const error = await appErrorFrom(clientFor().get('/stock'));

    expect(error).to.include({
      status: 502,
      code: 'upstream_error',
      detail: 'inventory failed (status 500)',
    });
    expect(upstream.hits).to.equal(1);
  });

  it('when getToken is set, then every attempt carries the bearer token', async () => {
    failFirst(1, 503);

    await clientFor({ getToken: async () => 'service-token' }).get('/stock');

    expect(upstream.requests.map((r) => r.headers.authorization)).to.deep.equal([
      'Bearer service-token',
      'Bearer service-token',
    ]);
  });

  it('when a request id is given per request or by the client, then it is forwarded as X-Request-Id', async () => {
    clientFor({ getRequestId: () => 'from-context' });

    await client.get('/a', { requestId: 'req-1' });
    await client.get('/b', { headers: { 'X-Request-Id': 'req-2' } });
    await client.get('/c');

    expect(upstream.requests.map((r) => r.headers['x-request-id'])).to.deep.equal([
      'req-1',
      'req-2',
      'from-context',
    ]);
  });
});
