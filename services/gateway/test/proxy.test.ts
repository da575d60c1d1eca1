import { expect } from 'chai';

import {
  startGateway,
  allRoutesTo,
  jsonOf,
  metricValue,
  testIssuer,
  type RunningGateway,
} from './support/gateway.js';
import { latch, postStream, rawRequest } from './support/http.js';
import { json, startUpstream, type FakeUpstream } from './support/upstream.js';

const MB = 1024 * 1024;

describe('gateway proxy', () => {
  let upstream: FakeUpstream;
  let gw: RunningGateway;
  let token: string;

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway({ env: { ...allRoutesTo(upstream.url), BODY_LIMIT_BYTES: String(64 * MB) } });
    token = await (await testIssuer()).token({ subject: 'u-1', roles: ['user'] });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.readBody = true;
    upstream.handle = (req, res) => json(res, 200, { method: req.method, url: req.url });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('when a request matches a route, then method, path, query and body reach the upstream unchanged', async () => {
    upstream.handle = (_req, res, seen) =>
      json(
        res,
        201,
        { received: seen.body.toString() },
        { location: '/api/v1/orders/9', 'x-total-count': '3' },
      );
    const res = await fetch(`${gw.url}/api/v1/orders/9/items?sort=name&tag=a&tag=b`, {
      method: 'PATCH',
      headers: { ...auth(), 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: '{"status":"paid"}',
    });
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.equal('/api/v1/orders/9');
    expect(res.headers.get('x-total-count')).to.equal('3');
    expect(await jsonOf(res)).to.deep.equal({ received: '{"status":"paid"}' });
    const [seen] = upstream.requests;
    expect(seen.method).to.equal('PATCH');
    expect(seen.url).to.equal('/api/v1/orders/9/items?sort=name&tag=a&tag=b');
    expect(seen.headers).to.include({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
    });
  });

  it('when each route prefix is called, then it reaches its configured upstream', async () => {
    const others = await Promise.all(
      ['user', 'product', 'inventory', 'order', 'ai'].map(() => startUpstream()),
    );
    const [user, product, inventory, order, ai] = others;
    const routed = await startGateway({
      env: {
        USER_URL: user.url,
        PRODUCT_URL: product.url,
        INVENTORY_URL: inventory.url,
        ORDER_URL: order.url,
        AI_URL: ai.url,
      },
    });
    try {
      const cases: Array<[string, string, FakeUpstream]> = [
        ['POST', '/api/v1/auth/login', user],
        ['GET', '/api/v1/users/me', user],
        ['GET', '/.well-known/jwks.json', user],
        ['GET', '/api/v1/products?category=books', product],
        ['GET', '/api/v1/products/abc', product],
        ['GET', '/api/v1/inventory/abc/check?quantity=2', inventory],
        ['POST', '/api/v1/orders', order],
        ['POST', '/api/v1/ai/chat', ai],
      ];
      for (const [method, path, target] of cases) {
        const res = await fetch(routed.url + path, { method, headers: auth() });
        expect(res.status, `${method} ${path}`).to.equal(200);
        expect(target.requests.at(-1)?.url, `${method} ${path}`).to.equal(path);
      }
      expect(others.map((o) => o.requests.length)).to.deep.equal([3, 2, 1, 1, 1]);
    } finally {
      await routed.close();
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('when no route covers the path, then responds 404 problem+json and calls no upstream', async () => {
    for (const path of ['/api/v1/nothing', '/api/v1/productsX', '/elsewhere']) {
      const res = await fetch(gw.url + path, { headers: auth() });
      expect(res.status, path).to.equal(404);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((await jsonOf(res)).detail).to.equal(`No route for GET ${path}`);
    }
    expect(upstream.requests).to.have.length(0);
  });

  it('when the path has dot segments, then responds 400 instead of forwarding it', async () => {
    for (const path of ['/api/v1/products/../users/me', '/api/v1/products/%2e%2E/users/me']) {
      const res = await rawRequest(gw.url + path);
      expect(res.status, path).to.equal(400);
    }
    expect(upstream.requests).to.have.length(0);
  });

  it('when hop-by-hop headers are sent either way, then they are dropped and end-to-end ones pass', async () => {
    upstream.handle = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'keep-alive': 'timeout=5',
        'x-internal': 'secret',
        connection: 'x-internal',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end('ok');
    };
    const res = await rawRequest(`${gw.url}/api/v1/products`, {
      headers: {
        connection: 'keep-alive, x-drop-me',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic eDp5',
        'x-drop-me': '1',
        'x-keep-me': '2',
      },
    });
    expect(res.status).to.equal(200);
    const sent = upstream.requests[0].headers;
    for (const name of ['te', 'upgrade', 'proxy-authorization', 'x-drop-me']) {
      expect(sent, name).to.not.have.property(name);
    }
    expect(sent['keep-alive']).to.equal(undefined);
    expect(sent['x-keep-me']).to.equal('2');
    expect(res.headers).to.not.have.property('x-internal');
    expect(res.headers['set-cookie']).to.deep.equal(['a=1', 'b=2']);
  });

  it('when forwarding, then X-Forwarded-*, X-Request-Id and traceparent are set for the upstream', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await fetch(`${gw.url}/api/v1/products`, {
      headers: {
        'x-request-id': 'req-gw-1',
        traceparent,
        tracestate: 'vendor=1',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
      },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-request-id')).to.equal('req-gw-1');
    const sent = upstream.requests[0].headers;
    expect(sent).to.include({
      'x-request-id': 'req-gw-1',
      traceparent,
      tracestate: 'vendor=1',
      // TRUST_PROXY is off: the client's own X-Forwarded-* are replaced, not passed on.
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(gw.url).host,
    });
  });

  it('when the client sends no X-Request-Id, then the gateway makes one and the upstream gets the same', async () => {
    const res = await fetch(`${gw.url}/api/v1/products`);
    const id = res.headers.get('x-request-id');
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(upstream.requests[0].headers['x-request-id']).to.equal(id);
  });

  it('when the upstream answers 204, 304 or a HEAD, then the status passes with no body', async () => {
    upstream.handle = (req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'content-length': '42', etag: '"v1"' }).end();
      else if (req.url?.includes('304')) res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(204).end();
    };
    const head = await rawRequest(`${gw.url}/api/v1/products/1`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers['content-length']).to.equal('42');
    const notModified = await rawRequest(`${gw.url}/api/v1/products/304`, {
      headers: { 'if-none-match': '"v1"' },
    });
    expect(notModified.status).to.equal(304);
    expect(upstream.requests[1].headers['if-none-match']).to.equal('"v1"');
    const deleted = await rawRequest(`${gw.url}/api/v1/orders/1`, { method: 'DELETE', headers: auth() });
    expect(deleted.status).to.equal(204);
    expect(deleted.body.length).to.equal(0);
    expect(deleted.headers, 'no content type the upstream did not send').to.not.have.property('content-type');
  });

  it('when the upstream answers an error, then its status and problem document pass through unchanged', async () => {
    const problem = { type: 'urn:x', title: 'Conflict', status: 409, detail: 'price changed', items: [1] };
    upstream.handle = (_req, res) => json(res, 409, problem, { 'content-type': 'application/problem+json' });
    const res = await fetch(`${gw.url}/api/v1/orders`, { method: 'POST', headers: auth(), body: '{}' });
    expect(res.status).to.equal(409);
    expect(res.headers.get('content-type')).to.equal('application/problem+json');
    expect(await jsonOf(res)).to.deep.equal(problem);
  });

  it('when a 50 MB response streams, then every byte arrives and the first before the upstream finished', async () => {
    const firstByteAtClient = latch();
    let upstreamFinished = false;
    upstream.handle = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      res.write(chunk);
      await firstByteAtClient.promise; // the rest is written only once the client holds the first bytes
      for (let sent = chunk.length; sent < 50 * MB; sent += chunk.length) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end(() => {
        upstreamFinished = true;
      });
    };
    const res = await fetch(`${gw.url}/api/v1/products/export`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    let finishedBeforeFirstByte: boolean | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) {
        finishedBeforeFirstByte = upstreamFinished;
        firstByteAtClient.signal();
      }
      bytes += value.length;
    }
    expect(finishedBeforeFirstByte).to.equal(false);
    expect(bytes).to.equal(50 * MB);
  });

  it('when a 50 MB request body streams, then the upstream receives all of it and starts before the client ends', async () => {
    upstream.readBody = false;
    const upstreamHasFirstBytes = latch();
    upstream.handle = async (req, res) => {
      let received = 0;
      for await (const chunk of req) {
        if (received === 0) upstreamHasFirstBytes.signal();
        received += (chunk as Buffer).length;
      }
      json(res, 200, { received, chunked: req.headers['transfer-encoding'] === 'chunked' });
    };
    const chunk = Buffer.alloc(256 * 1024, 1);
    async function* body() {
      yield chunk;
      await upstreamHasFirstBytes.promise; // the client sends the rest only after the upstream got the first chunk
      for (let sent = chunk.length; sent < 50 * MB; sent += chunk.length) yield chunk;
    }
    const res = await postStream(
      `${gw.url}/api/v1/products/import`,
      { ...auth(), 'content-type': 'application/octet-stream' },
      body(),
    );
    expect(res.status).to.equal(200);
    expect(await jsonOf(res)).to.deep.equal({ received: 50 * MB, chunked: true });
  });

  it('when the declared body is over the limit, then responds 413 without calling the upstream', async () => {
    const small = await startGateway({ env: { ...allRoutesTo(upstream.url), BODY_LIMIT_BYTES: '1000' } });
    try {
      const res = await fetch(`${small.url}/api/v1/orders`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'x'.repeat(2000) }),
      });
      expect(res.status).to.equal(413);
      expect((await jsonOf(res)).detail).to.equal('The request body exceeds the limit of 1000 bytes');
      expect(upstream.requests).to.have.length(0);
    } finally {
      await small.close();
    }
  });

  it('when a chunked body grows over the limit, then responds 413 and the upstream never gets the whole body', async () => {
    upstream.readBody = false;
    upstream.handle = async (req, res) => {
      for await (const _chunk of req); // reads until the gateway cuts the body off
      json(res, 200, {});
    };
    const small = await startGateway({ env: { ...allRoutesTo(upstream.url), BODY_LIMIT_BYTES: '100000' } });
    try {
      async function* body() {
        for (let i = 0; i < 10; i++) yield Buffer.alloc(50_000, 1);
      }
      const res = await postStream(`${small.url}/api/v1/orders`, auth(), body());
      expect(res.status).to.equal(413);
      expect(upstream.requests.every((r) => r.aborted)).to.equal(true);
    } finally {
      await small.close();
    }
  });

  it('writes one access-log line per proxied request, labelled with the route template', async () => {
    await fetch(`${gw.url}/api/v1/products/abc-123`, { headers: { 'x-request-id': 'log-proxy-1' } });
    const lines = gw.logs.filter((l) => l.message === 'request' && l.request_id === 'log-proxy-1');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      route: '/api/v1/products/*',
      status: 200,
      path: '/api/v1/products/abc-123',
    });
  });

  it('counts forwarded requests by upstream, route prefix and status', async () => {
    const labels = { upstream: 'product', route: '/api/v1/products', status: '200' };
    const before = (await metricValue(gw.url, 'gateway_upstream_requests_total', labels)) ?? 0;
    await fetch(`${gw.url}/api/v1/products`);
    await fetch(`${gw.url}/api/v1/products/2`);
    expect(await metricValue(gw.url, 'gateway_upstream_requests_total', labels)).to.equal(before + 2);
    expect(
      await metricValue(gw.url, 'gateway_upstream_duration_seconds_count', { upstream: 'product' }),
    ).to.be.at.least(2);
    expect(
      await metricValue(gw.url, 'http_request_duration_seconds_count', { route: '/api/v1/products/*' }),
    ).to.be.at.least(2);
  });
});
