import http from 'node:http';

import { eventually, freePort } from '@cartwheel/testing';
import { expect } from 'chai';

import {
  allRoutesTo,
  jsonOf,
  metricValue,
  startGateway,
  testIssuer,
  type RunningGateway,
} from './support/gateway.js';
import { postStream } from './support/http.js';
import { json, startUpstream, type FakeUpstream } from './support/upstream.js';

const BREAKER = {
  BREAKER_VOLUME_THRESHOLD: '4',
  BREAKER_ERROR_THRESHOLD_PERCENT: '50',
  BREAKER_RESET_MS: '300',
  BREAKER_WINDOW_MS: '60000',
};

describe('gateway resilience', () => {
  let token: string;
  before(async () => {
    token = await (await testIssuer()).token({ subject: 'u-2', roles: ['user'] });
  });
  const auth = () => ({ authorization: `Bearer ${token}` });

  describe('when the upstream is down', () => {
    let gw: RunningGateway;
    before(async () => {
      const port = await freePort();
      // A long timeout: a refused connection must fail at once, not wait for it.
      gw = await startGateway({
        env: { ...allRoutesTo(`http://127.0.0.1:${port}`), UPSTREAM_TIMEOUT_MS: '60000' },
      });
    });
    after(() => gw.close());

    it('when a request is sent, then responds 503 problem+json naming the upstream', async () => {
      const res = await fetch(`${gw.url}/api/v1/inventory/p-1`, { headers: auth() });
      expect(res.status).to.equal(503);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(await jsonOf(res)).to.include({
        status: 503,
        detail: 'upstream inventory is unavailable',
        upstream: 'inventory',
      });
    });

    it('counts the 503 under the upstream', async () => {
      await fetch(`${gw.url}/api/v1/ai/chat`, { method: 'POST', headers: auth() });
      const count = await metricValue(gw.url, 'gateway_upstream_requests_total', {
        upstream: 'ai',
        status: '503',
      });
      expect(count).to.equal(1);
    });
  });

  describe('when the upstream is killed while serving', () => {
    it('then the next request gets 503 instead of hanging', async () => {
      const upstream = await startUpstream();
      const gw = await startGateway({ env: { ...allRoutesTo(upstream.url), UPSTREAM_TIMEOUT_MS: '60000' } });
      try {
        expect((await fetch(`${gw.url}/api/v1/products`)).status).to.equal(200);
        await upstream.close();
        const res = await fetch(`${gw.url}/api/v1/products`);
        expect(res.status).to.equal(503);
        expect((await jsonOf(res)).detail).to.equal('upstream product is unavailable');
      } finally {
        await gw.close();
      }
    });
  });

  describe('timeouts and retries', () => {
    let upstream: FakeUpstream;
    let gw: RunningGateway;
    before(async () => {
      upstream = await startUpstream();
      gw = await startGateway({ env: { ...allRoutesTo(upstream.url), UPSTREAM_TIMEOUT_MS: '300' } });
    });
    beforeEach(() => {
      upstream.requests.length = 0;
    });
    after(async () => {
      await gw.close();
      await upstream.close();
    });

    it('when the upstream does not answer within UPSTREAM_TIMEOUT_MS, then responds 504 and aborts the upstream request', async () => {
      upstream.handle = () => undefined; // accepts and never answers
      const res = await fetch(`${gw.url}/api/v1/orders`, { headers: auth() });
      expect(res.status).to.equal(504);
      expect((await jsonOf(res)).detail).to.equal('upstream order did not respond within 300 ms');
      await eventually('the upstream sees the request aborted', () => upstream.requests[0]?.aborted === true);
      expect(upstream.requests).to.have.length(1); // a timeout is not retried
    });

    it('when the upstream body goes silent mid-stream, then the client sees the response cut off', async () => {
      upstream.handle = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial'); // and then nothing
      };
      const res = await fetch(`${gw.url}/api/v1/products/slow`);
      expect(res.status).to.equal(200);
      let failure: unknown;
      try {
        await res.text();
      } catch (error) {
        failure = error;
      }
      expect(failure, 'reading the body fails').to.be.instanceOf(Error);
    });

    it('when the client stops reading for longer than the timeout, then the download is not cut off', async () => {
      const total = 50 * 1024 * 1024;
      upstream.handle = async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        const chunk = Buffer.alloc(1024 * 1024, 3);
        for (let sent = 0; sent < total; sent += chunk.length) {
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
      };
      const received = await new Promise<number>((resolve, reject) => {
        http.get(`${gw.url}/api/v1/products/export`, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            if (bytes === 0) {
              // A slow client: it reads nothing for three timeouts while every buffer on the way fills.
              res.pause();
              setTimeout(() => res.resume(), 900);
            }
            bytes += chunk.length;
          });
          res.on('end', () => resolve(bytes));
          res.on('error', reject);
        });
      });
      expect(received).to.equal(total);
    });

    it('when the client uploads for longer than the timeout, then the upstream is not timed out meanwhile', async () => {
      upstream.handle = (_req, res, seen) => json(res, 200, { received: seen.body.length });
      // Its own gateway with a longer timeout: each gap must stay under it even when a loaded
      // machine stalls the event loop (300 ms against 100 ms gaps failed in CI).
      const patient = await startGateway({
        env: { ...allRoutesTo(upstream.url), UPSTREAM_TIMEOUT_MS: '1500' },
      });
      async function* slowBody() {
        // A slow client: ten chunks, 400 ms apart, four seconds against a 1.5 s timeout.
        for (let i = 0; i < 10; i++) {
          yield Buffer.alloc(1000, 1);
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
      }
      try {
        const res = await postStream(`${patient.url}/api/v1/orders`, auth(), slowBody());
        expect(res.status).to.equal(200);
        expect(await jsonOf(res)).to.deep.equal({ received: 10_000 });
      } finally {
        await patient.close();
      }
    });

    it('when a GET loses its connection before any answer, then it is retried and succeeds', async () => {
      upstream.handle = (req, res, seen) => {
        if (upstream.requests.indexOf(seen) === 0)
          req.socket.destroy(); // reset, no response
        else json(res, 200, { attempt: upstream.requests.length });
      };
      const res = await fetch(`${gw.url}/api/v1/products`);
      expect(res.status).to.equal(200);
      expect(await jsonOf(res)).to.deep.equal({ attempt: 2 });
    });

    it('when a POST loses its connection, then it is not retried and responds 503', async () => {
      upstream.handle = (req) => {
        req.socket.destroy();
      };
      const res = await fetch(`${gw.url}/api/v1/orders`, { method: 'POST', headers: auth(), body: '{}' });
      expect(res.status).to.equal(503);
      expect(upstream.requests).to.have.length(1);
    });
  });

  describe('when the client goes away', () => {
    it('then the upstream request is aborted and not counted against the upstream', async () => {
      const upstream = await startUpstream();
      upstream.handle = () => undefined; // still working on it when the client leaves
      const gw = await startGateway({
        env: { ...allRoutesTo(upstream.url), ...BREAKER, UPSTREAM_TIMEOUT_MS: '60000' },
      });
      try {
        for (let i = 0; i < 5; i++) {
          const leaving = new AbortController();
          const pending = fetch(`${gw.url}/api/v1/orders`, { headers: auth(), signal: leaving.signal });
          await eventually('the upstream has the request', () => upstream.requests.length === i + 1);
          leaving.abort();
          await pending.catch(() => undefined);
          await eventually('the upstream request is aborted', () => upstream.requests[i].aborted);
        }
        expect(await metricValue(gw.url, 'gateway_breaker_state', { upstream: 'order' })).to.equal(0);
      } finally {
        await gw.close();
        await upstream.close();
      }
    });
  });

  describe('circuit breaker', () => {
    let upstream: FakeUpstream;
    let gw: RunningGateway;
    let healthy = false;
    before(async () => {
      upstream = await startUpstream();
      upstream.handle = (_req, res) =>
        healthy ? json(res, 200, { ok: true }) : json(res, 503, { detail: 'database down' });
      gw = await startGateway({ env: { ...allRoutesTo(upstream.url), ...BREAKER } });
    });
    after(async () => {
      await gw.close();
      await upstream.close();
    });
    const call = () => fetch(`${gw.url}/api/v1/inventory/p-1`, { headers: auth() });
    const breakerState = () => metricValue(gw.url, 'gateway_breaker_state', { upstream: 'inventory' });

    it('when the upstream keeps failing, then its own 503s pass through until the breaker opens', async () => {
      for (let i = 0; i < 4; i++) {
        const res = await call();
        expect(res.status).to.equal(503);
        expect(await jsonOf(res)).to.deep.equal({ detail: 'database down' });
      }
      expect(await breakerState()).to.equal(2);
    });

    it('when the breaker is open, then requests fail fast with 503 and Retry-After without reaching the upstream', async () => {
      const hits = upstream.requests.length;
      const res = await call();
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      expect((await jsonOf(res)).detail).to.equal('upstream inventory is unavailable');
      expect(upstream.requests.length).to.equal(hits);
    });

    it('when the upstream recovers, then a half-open trial gets through and closes the breaker', async () => {
      healthy = true;
      await eventually(
        'a trial request reaches the recovered upstream',
        async () => (await call()).status === 200,
        5_000,
      );
      expect(await breakerState()).to.equal(0);
      for (let i = 0; i < 3; i++) expect((await call()).status).to.equal(200);
    });

    it('when the half-open trial fails, then the breaker opens again', async () => {
      healthy = false;
      // Rejected calls count in opossum's window too, so how many failures reopen it depends on history.
      await eventually('the failing upstream opens the breaker', async () => {
        await call();
        return (await breakerState()) === 2;
      });
      const hitsWhileOpen = upstream.requests.length;
      await eventually(
        'a trial request reaches the upstream',
        async () => (await call(), upstream.requests.length > hitsWhileOpen),
        5_000,
      );
      expect(await breakerState()).to.equal(2);
      const res = await call();
      expect((await jsonOf(res)).detail).to.equal('upstream inventory is unavailable');
    });

    it('keeps one breaker per upstream: product stays closed while inventory is open', async () => {
      const res = await fetch(`${gw.url}/api/v1/products`);
      expect(res.status).to.equal(503); // the upstream's own answer, not the breaker's
      expect(await jsonOf(res)).to.deep.equal({ detail: 'database down' });
    });
  });
});
