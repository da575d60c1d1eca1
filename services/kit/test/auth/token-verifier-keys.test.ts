import { expect } from 'chai';

import { createTokenVerifier } from '../../src/auth/index.js';
import { createTestKey, rejectionOf, signToken, startJwksServer } from '@cartwheel/testing';
import type { JwksServer, TestKey } from '@cartwheel/testing';

const ISSUER = 'https://users.cartwheel.test';
const AUDIENCE = 'cartwheel';

describe('createTokenVerifier key sets', () => {
  let oldKey: TestKey;
  let newKey: TestKey;
  let jwks: JwksServer;

  before(async () => {
    [oldKey, newKey] = await Promise.all([
      createTestKey('RS256', 'key-2024'),
      createTestKey('ES256', 'key-2025'),
    ]);
  });

  beforeEach(async () => {
    jwks = await startJwksServer([oldKey.publicJwk]);
  });

  afterEach(async () => {
    await jwks.close();
  });

  it('when the issuer rotates to a new kid after the set was cached, then the set is refetched and the token accepted', async () => {
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, jwksCooldownMs: 0 }],
    });
    await verifier.verify(await signToken({ key: oldKey, issuer: ISSUER, audience: AUDIENCE, subject: 'a' }));
    await verifier.verify(await signToken({ key: oldKey, issuer: ISSUER, audience: AUDIENCE, subject: 'b' }));
    expect(jwks.hits, 'cached after the first fetch').to.equal(1);

    jwks.keys = [newKey.publicJwk];
    const identity = await verifier.verify(
      await signToken({ key: newKey, issuer: ISSUER, audience: AUDIENCE, subject: 'rotated' }),
    );

    expect(identity.subject).to.equal('rotated');
    expect(jwks.hits).to.equal(2);
  });

  it('when unknown kids arrive within the cooldown, then the JWKS endpoint is not hit again', async () => {
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, jwksCooldownMs: 60_000 }],
    });
    await verifier.verify(await signToken({ key: oldKey, issuer: ISSUER, audience: AUDIENCE, subject: 'a' }));

    const unknownKidToken = await signToken({
      key: newKey,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'b',
    });
    const errors = await Promise.all([1, 2, 3].map(() => rejectionOf(verifier.verify(unknownKidToken))));

    expect(errors.map((e) => e.detail)).to.deep.equal(Array(3).fill('unknown signing key'));
    expect(jwks.hits).to.equal(1);
  });

  it('when the JWKS endpoint fails, then verification fails with 503 rather than blaming the token', async () => {
    jwks.status = 500;
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url }],
    });

    const error = await rejectionOf(
      verifier.verify(await signToken({ key: oldKey, issuer: ISSUER, audience: AUDIENCE, subject: 'a' })),
    );

    expect(error).to.include({ status: 503, code: 'auth_unavailable' });
  });

  it('when the JWKS endpoint refuses connections, then verification fails with 503', async () => {
    // Port 1 (tcpmux) is never served in test environments, so the connection is refused at once.
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'http://127.0.0.1:1/certs' }],
    });

    const error = await rejectionOf(
      verifier.verify(await signToken({ key: oldKey, issuer: ISSUER, audience: AUDIENCE, subject: 'a' })),
    );

    expect(error).to.include({ status: 503, code: 'auth_unavailable' });
  });

  it('when the issuer is configured with a local key set, then its tokens verify without any fetch', async () => {
    const verifier = createTokenVerifier({
      issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [oldKey.publicJwk, newKey.publicJwk] } }],
    });

    const identity = await verifier.verify(
      await signToken({
        key: newKey,
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: 'u',
        claims: { roles: ['user'] },
      }),
    );

    expect(identity.roles).to.deep.equal(['user']);
    expect(jwks.hits).to.equal(0);
  });

  it('when the clock tolerance is configured beyond five minutes, then creating the verifier fails', () => {
    expect(() =>
      createTokenVerifier({
        issuers: [{ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [] } }],
        clockToleranceSec: 3600,
      }),
    ).to.throw(TypeError, /clockToleranceSec/);
  });
});
