import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Router } from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';

import { authenticate, createTokenVerifier, requireRole } from '../../src/auth/index.js';
import { toAppError } from '../../src/errors/app-error.js';
import { createTestKey, signToken, type TestKey } from '@cartwheel/testing';

const ISSUER = 'https://users.cartwheel.test';
const AUDIENCE = 'cartwheel';

/** Test-only stand-in for the kit's problem+json middleware (services/kit/src/http), which is written separately. */
const renderErrors: Koa.Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (thrown) {
    const error = toAppError(thrown);
    ctx.status = error.status;
    ctx.set(error.headers ?? {});
    ctx.type = 'application/problem+json';
    ctx.body = { type: 'about:blank', title: error.message, status: error.status, detail: error.detail };
  }
};

const problemOf = async (response: Response) => (await response.json()) as { status: number; detail: string };

describe('authenticate and requireRole', () => {
  let key: TestKey;
  let server: Server;
  let baseUrl: string;

  const tokenWith = (roles: string[], subject = 'user-1') =>
    signToken({
      key,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject,
      claims: { roles, email: `${subject}@example.com` },
    });

  const get = (path: string, token?: string) =>
    fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  before(async () => {
    key = await createTestKey('ES256', 'users-1');
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [key.publicJwk] } }],
    });

    const router = new Router();
    router.get('/admin/echo', authenticate(verifier), requireRole('admin'), (ctx) => {
      ctx.body = ctx.state.identity;
    });
    router.get('/orders', authenticate(verifier), requireRole('user', 'admin'), (ctx) => {
      ctx.body = { subject: ctx.state.identity?.subject };
    });
    router.get('/products', authenticate(verifier, { optional: true }), (ctx) => {
      ctx.body = { anonymous: ctx.state.identity === undefined };
    });
    router.get('/unguarded-role', requireRole('admin'), (ctx) => {
      ctx.body = {};
    });

    const app = new Koa();
    app.use(renderErrors);
    app.use(router.routes());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when no token is sent, then responds 401 with WWW-Authenticate: Bearer', async () => {
    const response = await get('/admin/echo');

    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.equal('Bearer');
    expect(await response.json()).to.include({ status: 401, detail: 'Bearer token required' });
  });

  it('when a user token calls an admin route, then responds 403 naming the admin role', async () => {
    const response = await get('/admin/echo', await tokenWith(['user']));

    expect(response.status).to.equal(403);
    expect((await problemOf(response)).detail).to.equal('Requires the admin role');
  });

  it('when an admin token calls an admin route, then responds 200 and the handler sees the identity', async () => {
    const response = await get('/admin/echo', await tokenWith(['admin'], 'root'));

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.include({
      subject: 'root',
      email: 'root@example.com',
      roles: ['admin'],
      issuer: ISSUER,
    });
  });

  it('when the route accepts any of several roles, then a token with one of them passes', async () => {
    const response = await get('/orders', await tokenWith(['user']));

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ subject: 'user-1' });
  });

  it('when a service token lacks every listed role, then the 403 names them all', async () => {
    const response = await get('/orders', await tokenWith(['service']));

    expect(response.status).to.equal(403);
    expect((await problemOf(response)).detail).to.equal('Requires one of the roles: user, admin');
  });

  it('when auth is optional and no token is sent, then the request goes through anonymously', async () => {
    const response = await get('/products');

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ anonymous: true });
  });

  it('when auth is optional and a valid token is sent, then the identity is set', async () => {
    const response = await get('/products', await tokenWith(['user']));

    expect(await response.json()).to.deep.equal({ anonymous: false });
  });

  it('when auth is optional but the token is bad, then responds 401 anyway', async () => {
    const response = await get('/products', 'not-a-token');

    expect(response.status).to.equal(401);
    expect((await problemOf(response)).detail).to.equal('malformed token');
  });

  it('when the Authorization header is not a bearer credential, then responds 401', async () => {
    const response = await fetch(`${baseUrl}/products`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    expect(response.status).to.equal(401);
  });

  it('when requireRole runs without authenticate, then responds 401 rather than 403', async () => {
    const response = await get('/unguarded-role');

    expect(response.status).to.equal(401);
  });
});
