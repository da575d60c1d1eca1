import { expect } from 'chai';

import { allRoutesTo, startGateway, testIssuer, type RunningGateway } from './support/gateway.js';
import { startUpstream, type FakeUpstream } from './support/upstream.js';

const APP = 'https://shop.example';

describe('gateway CORS and security headers', () => {
  let upstream: FakeUpstream;
  let gw: RunningGateway;
  let plain: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway({
      env: { ...allRoutesTo(upstream.url), CORS_ORIGINS: `${APP}, https://admin.example` },
    });
    plain = await startGateway({ env: allRoutesTo(upstream.url) });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await Promise.all([gw.close(), plain.close()]);
    await upstream.close();
  });

  const preflight = (base: string, origin: string) =>
    fetch(`${base}/api/v1/orders`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('when an allowed origin sends a preflight, then the gateway answers 204 itself, without a token', async () => {
    const res = await preflight(gw.url, APP);
    expect(res.status).to.equal(204);
    expect(res.headers.get('access-control-allow-origin')).to.equal(APP);
    expect(res.headers.get('access-control-allow-methods')).to.include('POST');
    expect(res.headers.get('access-control-allow-headers')).to.include('Authorization');
    expect(res.headers.get('vary')).to.include('Origin');
    expect(upstream.requests).to.have.length(0);
  });

  it('when another origin sends a preflight, then responds 403 without CORS headers', async () => {
    const res = await preflight(gw.url, 'https://evil.example');
    expect(res.status).to.equal(403);
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('when an allowed origin calls the API, then the answer (an error included) carries CORS headers', async () => {
    const ok = await fetch(`${gw.url}/api/v1/products`, { headers: { origin: APP } });
    expect(ok.headers.get('access-control-allow-origin')).to.equal(APP);
    expect(ok.headers.get('access-control-expose-headers')).to.include('RateLimit-Remaining');
    const denied = await fetch(`${gw.url}/api/v1/orders`, { headers: { origin: APP } });
    expect(denied.status).to.equal(401);
    expect(denied.headers.get('access-control-allow-origin')).to.equal(APP);
  });

  it('when CORS_ORIGINS is empty, then no CORS headers are sent and a preflight needs a token like any OPTIONS', async () => {
    const res = await fetch(`${plain.url}/api/v1/products`, { headers: { origin: APP } });
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
    expect((await preflight(plain.url, APP)).status).to.equal(401);
  });

  it('sets security headers on proxied answers', async () => {
    const token = await (await testIssuer()).token({ subject: 'u-9', roles: ['user'] });
    const res = await fetch(`${gw.url}/api/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('strict-transport-security')).to.include('max-age');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
  });
});
