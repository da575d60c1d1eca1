import { expect } from 'chai';
import { SignJWT } from 'jose';

import { createTokenVerifier, type TokenVerifier } from '../../src/auth/index.js';
import { createTestKey, rejectionOf, signToken, startJwksServer, unsignedToken } from '@cartwheel/testing';
import type { JwksServer, TestKey } from '@cartwheel/testing';

const ISSUER = 'https://users.cartwheel.test';
const KEYCLOAK = 'https://keycloak.cartwheel.test/realms/cartwheel';
const AUDIENCE = 'cartwheel';

describe('createTokenVerifier', () => {
  let rsa: TestKey;
  let ec: TestKey;
  let keycloakKey: TestKey;
  let jwks: JwksServer;
  let keycloakJwks: JwksServer;
  let verifier: TokenVerifier;

  before(async () => {
    [rsa, ec, keycloakKey] = await Promise.all([
      createTestKey('RS256', 'rsa-1'),
      createTestKey('ES256', 'ec-1'),
      createTestKey('RS256', 'kc-1'),
    ]);
    jwks = await startJwksServer([rsa.publicJwk, ec.publicJwk]);
    keycloakJwks = await startJwksServer([keycloakKey.publicJwk]);
    verifier = createTokenVerifier({
      issuers: [
        { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url },
        { issuer: KEYCLOAK, audience: AUDIENCE, jwksUrl: keycloakJwks.url, rolesClaim: 'realm_access.roles' },
      ],
    });
  });

  after(async () => {
    await Promise.all([jwks.close(), keycloakJwks.close()]);
  });

  it('when an RS256 token is valid, then it returns the identity with its known roles', async () => {
    const token = await signToken({
      key: rsa,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'user-1',
      claims: { roles: ['user', 'admin', 'superhero'], email: 'ada@example.com', jti: 'tok-1' },
    });

    const identity = await verifier.verify(token);

    expect(identity).to.deep.include({
      subject: 'user-1',
      email: 'ada@example.com',
      roles: ['user', 'admin'],
      issuer: ISSUER,
      tokenId: 'tok-1',
    });
    expect(identity.claims.roles).to.deep.equal(['user', 'admin', 'superhero']);
  });

  it('when an ES256 token is valid, then it is accepted', async () => {
    const token = await signToken({
      key: ec,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'svc-order',
      claims: { roles: ['service'] },
    });

    const identity = await verifier.verify(token);

    expect(identity.subject).to.equal('svc-order');
    expect(identity.roles).to.deep.equal(['service']);
  });

  it('when a Keycloak token carries realm_access.roles, then those roles are mapped', async () => {
    const token = await signToken({
      key: keycloakKey,
      issuer: KEYCLOAK,
      audience: AUDIENCE,
      subject: 'kc-user',
      claims: { realm_access: { roles: ['offline_access', 'admin', 'uma_authorization'] }, roles: ['user'] },
    });

    const identity = await verifier.verify(token);

    expect(identity.roles).to.deep.equal(['admin']);
    expect(identity.issuer).to.equal(KEYCLOAK);
  });

  it('when a token is signed by another issuer’s key, then it is rejected', async () => {
    const token = await signToken({ key: keycloakKey, issuer: ISSUER, audience: AUDIENCE, subject: 'x' });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'unknown signing key' });
  });

  it('when the token is unsigned (alg none), then it is rejected', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = unsignedToken({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'mallory',
      roles: ['admin'],
      exp: now + 300,
    });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, code: 'unauthorized', detail: 'token algorithm not allowed' });
  });

  it('when the token is signed with HS256, then it is rejected', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-that-anyone-with-the-config-has');
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(secret);

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token algorithm not allowed' });
  });

  it('when the issuer is not configured, then it is rejected before any key is fetched', async () => {
    const hitsBefore = jwks.hits;
    const token = await signToken({
      key: rsa,
      issuer: 'https://evil.test',
      audience: AUDIENCE,
      subject: 'x',
    });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token issuer not accepted' });
    expect(jwks.hits).to.equal(hitsBefore);
  });

  it('when the audience is wrong, then it is rejected', async () => {
    const token = await signToken({ key: rsa, issuer: ISSUER, audience: 'someone-else', subject: 'x' });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token audience not accepted' });
  });

  it('when the token has no subject, then it is rejected', async () => {
    const token = await signToken({ key: rsa, issuer: ISSUER, audience: AUDIENCE });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token has no subject' });
  });

  it('when the token has no expiry, then it is rejected', async () => {
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: rsa.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('forever')
      .sign(rsa.privateKey);

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token has no expiry' });
  });

  it('when the token expired longer ago than the clock tolerance, then it is rejected', async () => {
    const token = await signToken({
      key: rsa,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'x',
      expiresInSec: -60,
    });

    const error = await rejectionOf(verifier.verify(token));

    expect(error).to.include({ status: 401, detail: 'token expired' });
  });

  it('when the token expired within the clock tolerance, then it is accepted', async () => {
    const token = await signToken({
      key: rsa,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'x',
      expiresInSec: -10,
    });

    const identity = await verifier.verify(token);

    expect(identity.subject).to.equal('x');
  });

  it('when the token is not a JWT at all, then it is rejected as malformed', async () => {
    const error = await rejectionOf(verifier.verify('not-a-token'));

    expect(error).to.include({ status: 401, detail: 'malformed token' });
  });

  it('when the signature does not match the payload, then it is rejected', async () => {
    const token = await signToken({
      key: rsa,
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: 'user-1',
      claims: { roles: ['user'] },
    });
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()),
        roles: ['admin'],
      }),
    ).toString('base64url');

    const error = await rejectionOf(verifier.verify(`${header}.${forgedPayload}.${signature}`));

    expect(error).to.include({ status: 401, detail: 'invalid token signature' });
  });
});
