import { expect } from 'chai';

import { isPublicRoute, rateLimitBucket } from '../../src/domain/access-policy.js';

describe('isPublicRoute', () => {
  it('lets sign-up, sign-in, refresh, token and logout through by POST only', () => {
    for (const action of ['register', 'login', 'refresh', 'token', 'logout']) {
      expect(isPublicRoute('POST', `/api/v1/auth/${action}`), action).to.equal(true);
      expect(isPublicRoute('POST', `/api/v1/auth/${action}/`), `${action}/`).to.equal(true);
      expect(isPublicRoute('GET', `/api/v1/auth/${action}`), `GET ${action}`).to.equal(false);
    }
    expect(isPublicRoute('POST', '/api/v1/auth/login/extra')).to.equal(false);
  });

  it('lets catalog reads through, not catalog writes', () => {
    expect(isPublicRoute('GET', '/api/v1/products')).to.equal(true);
    expect(isPublicRoute('HEAD', '/api/v1/products/1')).to.equal(true);
    expect(isPublicRoute('POST', '/api/v1/products')).to.equal(false);
    expect(isPublicRoute('GET', '/api/v1/productsX')).to.equal(false);
  });

  it('lets the keys, docs and operational endpoints through', () => {
    for (const path of [
      '/.well-known/jwks.json',
      '/docs',
      '/docs/x.css',
      '/openapi.json',
      '/health',
      '/ready',
      '/metrics',
    ]) {
      expect(isPublicRoute('GET', path), path).to.equal(true);
    }
  });

  it('keeps everything else behind a token', () => {
    for (const path of ['/api/v1/users/me', '/api/v1/orders', '/api/v1/inventory/1', '/api/v1/ai/chat']) {
      expect(isPublicRoute('GET', path), path).to.equal(false);
    }
  });
});

describe('rateLimitBucket', () => {
  it('counts sign-in and sign-up in the auth bucket, /ai in its own, the rest of /api in default', () => {
    expect(rateLimitBucket('POST', '/api/v1/auth/login')).to.equal('auth');
    expect(rateLimitBucket('POST', '/api/v1/auth/register/')).to.equal('auth');
    expect(rateLimitBucket('POST', '/api/v1/auth/refresh')).to.equal('default');
    expect(rateLimitBucket('POST', '/api/v1/ai/chat')).to.equal('ai');
    expect(rateLimitBucket('GET', '/api/v1/products')).to.equal('default');
  });

  it('does not limit what is outside /api', () => {
    for (const path of ['/.well-known/jwks.json', '/docs', '/health', '/apix']) {
      expect(rateLimitBucket('GET', path), path).to.equal(undefined);
    }
  });
});
