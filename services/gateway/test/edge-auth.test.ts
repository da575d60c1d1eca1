import { createTestIssuer, signToken, unsignedToken } from '@cartwheel/testing';
import { expect } from 'chai';

import { allRoutesTo, jsonOf, startGateway, testIssuer, type RunningGateway } from './support/gateway.js';
import { startUpstream, type FakeUpstream } from './support/upstream.js';

describe('gateway edge authentication', () => {
  let upstream: FakeUpstream;
  let gw: RunningGateway;
  let valid: string;
  const bad: Record<string, string> = {};

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway({ env: allRoutesTo(upstream.url) });
    const issuer = await testIssuer();
    valid = await issuer.token({ subject: 'u-3', roles: ['user'] });
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    bad.tampered = `${header}.${forged}.${signature}`;
    bad.expired = await issuer.token({ subject: 'u-3', roles: ['user'], expiresInSec: -120 });
    bad['alg:none'] = unsignedToken({ ...claims, roles: ['admin'] });
    const stranger = await createTestIssuer('http://stranger.test');
    bad['unknown issuer'] = await stranger.token({ subject: 'u-3', roles: ['admin'] });
    bad['wrong audience'] = await signToken({
      key: issuer.key,
      issuer: issuer.issuer,
      audience: 'someone-else',
      subject: 'u-3',
    });
    bad['signed by a key the issuer never published'] = await signToken({
      key: stranger.key,
      issuer: issuer.issuer,
      audience: issuer.audience,
      subject: 'u-3',
    });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const call = (method: string, path: string, token?: string) =>
    fetch(gw.url + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('when a token is tampered, expired, unsigned, foreign or for another audience, then responds 401 at the edge', async () => {
    for (const [kind, token] of Object.entries(bad)) {
      const res = await call('GET', '/api/v1/orders', token);
      expect(res.status, kind).to.equal(401);
      expect(res.headers.get('www-authenticate'), kind).to.equal('Bearer');
      expect(res.headers.get('content-type'), kind).to.match(/^application\/problem\+json/);
    }
    expect(upstream.requests, 'no bad token reaches a service').to.have.length(0);
  });

  it('when a bad token is sent to a public route, then it is still 401', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/products'],
      ['POST', '/api/v1/auth/login'],
    ]) {
      const res = await call(method, path, bad.expired);
      expect(res.status, path).to.equal(401);
      expect((await jsonOf(res)).detail, path).to.equal('token expired');
    }
    const malformed = await fetch(`${gw.url}/api/v1/products`, { headers: { authorization: 'Basic dTpw' } });
    expect(malformed.status).to.equal(401);
    expect(upstream.requests).to.have.length(0);
  });

  it('when no token is sent, then public routes pass anonymously', async () => {
    const publicRoutes: Array<[string, string]> = [
      ['POST', '/api/v1/auth/register'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/refresh'],
      ['POST', '/api/v1/auth/token'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/products?category=books'],
      ['GET', '/api/v1/products/search?q=lamp'],
      ['HEAD', '/api/v1/products/abc'],
      ['GET', '/.well-known/jwks.json'],
      ['GET', '/.well-known/openid-configuration'],
    ];
    for (const [method, path] of publicRoutes) {
      expect((await call(method, path)).status, `${method} ${path}`).to.equal(200);
    }
    expect(upstream.requests).to.have.length(publicRoutes.length);
    expect(upstream.requests.every((r) => r.headers.authorization === undefined)).to.equal(true);
  });

  it('when no token is sent to any other route, then responds 401 without calling the upstream', async () => {
    const protectedRoutes: Array<[string, string]> = [
      ['POST', '/api/v1/products'],
      ['DELETE', '/api/v1/products/abc'],
      ['GET', '/api/v1/users/me'],
      ['GET', '/api/v1/inventory/abc'],
      ['POST', '/api/v1/orders'],
      ['POST', '/api/v1/ai/chat'],
      ['GET', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/anything-else'],
    ];
    for (const [method, path] of protectedRoutes) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).to.equal(401);
      expect((await jsonOf(res)).detail).to.equal('Bearer token required');
    }
    expect(upstream.requests).to.have.length(0);
  });

  it('when a valid token is sent, then the request is forwarded with the token for the service to verify again', async () => {
    const res = await call('POST', '/api/v1/orders', valid);
    expect(res.status).to.equal(200);
    expect(upstream.requests[0].headers.authorization).to.equal(`Bearer ${valid}`);
  });

  it('when the gateway serves its own routes, then no token is needed', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/docs', '/openapi.json']) {
      expect((await call('GET', path)).status, path).to.equal(200);
    }
  });
});
