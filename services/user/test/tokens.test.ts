import { createHmac, createPublicKey } from 'node:crypto';
import {
  authenticate,
  createApiRouter,
  createClientCredentialsTokens,
  createHttpClient,
  createServiceApp,
  createTokenVerifier,
  listen,
  requireRole,
  type RunningHttpServer,
} from '@cartwheel/kit';
import { unsignedToken } from '@cartwheel/testing';
import { expect } from 'chai';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import type { KeyRing } from '../src/index.js';
import { logger, privateKeyPem, startUserApp, testKeys, type SignedUp, type UserApp } from './support.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs like the service does, with whatever claims, header and key a forger picks. */
async function craft(
  keys: KeyRing,
  claims: JWTPayload,
  header: { kid?: string; alg?: 'ES256' | 'RS256' } = {},
  privateKey = keys.signing.privateKey,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: ['user'], ...claims })
    .setProtectedHeader({ alg: header.alg ?? keys.signing.alg, kid: header.kid ?? keys.signing.kid })
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(privateKey);
}

describe('user service: access tokens, keys and service clients', () => {
  let user: UserApp;
  let account: SignedUp;
  const good = (sub: string): JWTPayload => ({ iss: 'http://localhost:8080', aud: 'cartwheel', sub });

  before(async () => {
    user = await startUserApp({
      serviceClients: new Map([['order', 'order-secret-0123456789']]),
    });
    account = await user.signUp();
  });

  after(async () => {
    await user.close();
  });

  describe('forged tokens on a protected route', () => {
    const me = (token: string) => user.api.get('/api/v1/users/me', { token });

    it('when a token is crafted with the real key and right claims, then it is accepted (the forgeries below differ in one thing)', async () => {
      const response = await me(await craft(user.keys, good(String(account.id))));

      expect(response.status).to.equal(200);
      expect(response.body.id).to.equal(account.id);
    });

    const forgeries: Array<[string, () => Promise<string>, string]> = [
      [
        'signed by another key under our kid',
        async () => craft(user.keys, good(String(account.id)), {}, (await testKeys()).signing.privateKey),
        'invalid token signature',
      ],
      [
        'a real token whose payload was edited',
        async () => {
          const [header, , signature] = account.accessToken.split('.');
          const payload = { ...decodeJwt(account.accessToken), roles: ['admin'] };
          return `${header}.${base64url(payload)}.${signature}`;
        },
        'invalid token signature',
      ],
      [
        'unsigned (alg none)',
        async () => unsignedToken({ ...good(String(account.id)), exp: Math.floor(Date.now() / 1000) + 300 }),
        'token algorithm not allowed',
      ],
      [
        'HS256 with the public key as the HMAC secret',
        async () => {
          const jwk = user.keys.jwks.keys[0];
          const header = base64url({ alg: 'HS256', typ: 'JWT', kid: jwk.kid });
          const payload = base64url({
            ...good(String(account.id)),
            exp: Math.floor(Date.now() / 1000) + 300,
          });
          const secret = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
          const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
          return `${header}.${payload}.${signature}`;
        },
        'token algorithm not allowed',
      ],
      [
        'expired',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return craft(user.keys, { ...good(String(account.id)), iat: now - 3600, exp: now - 600 });
        },
        'token expired',
      ],
      [
        'from another issuer',
        async () => craft(user.keys, { ...good(String(account.id)), iss: 'http://evil.example' }),
        'token issuer not accepted',
      ],
      [
        'for another audience',
        async () => craft(user.keys, { ...good(String(account.id)), aud: 'someone-else' }),
        'token audience not accepted',
      ],
      [
        'naming an unknown kid',
        async () => craft(user.keys, good(String(account.id)), { kid: 'not-a-key-of-ours' }),
        'unknown signing key',
      ],
    ];
    for (const [what, forge, detail] of forgeries) {
      it(`when the token is ${what}, then 401 says why`, async () => {
        const response = await me(await forge());

        expect(response.status).to.equal(401);
        expect(response.body.detail).to.equal(detail);
        expect(response.headers.get('www-authenticate')).to.equal('Bearer');
      });
    }

    it('when no token is sent, then 401', async () => {
      expect((await user.api.get('/api/v1/users/me')).status).to.equal(401);
    });
  });

  describe('published keys', () => {
    it('when the JWKS is fetched, then it lists the public key only, with kid = its RFC 7638 thumbprint', async () => {
      const response = await user.api.get('/.well-known/jwks.json');

      expect(response.status).to.equal(200);
      expect(response.body.keys).to.have.length(1);
      const [key] = response.body.keys;
      expect(key).to.have.all.keys('kty', 'crv', 'x', 'y', 'kid', 'alg', 'use');
      expect(key).to.deep.include({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key.kid).to.equal(await calculateJwkThumbprint(key, 'sha256'));
      expect(decodeProtectedHeader(account.accessToken).kid).to.equal(key.kid);
    });

    it('when the discovery document is fetched, then it names the issuer, its JWKS and token endpoint', async () => {
      const response = await user.api.get('/.well-known/openid-configuration');

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({
        issuer: 'http://localhost:8080',
        jwks_uri: 'http://localhost:8080/.well-known/jwks.json',
        token_endpoint: 'http://localhost:8080/api/v1/auth/token',
        grant_types_supported: ['client_credentials'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    });

    it('when another service verifies our tokens through the JWKS endpoint, then they pass the kit verifier', async () => {
      const verifier = createTokenVerifier({
        issuers: [
          {
            issuer: 'http://localhost:8080',
            audience: 'cartwheel',
            jwksUrl: `${user.url}/.well-known/jwks.json`,
          },
        ],
      });

      const identity = await verifier.verify(account.accessToken);

      expect(identity).to.deep.include({
        subject: String(account.id),
        email: account.email,
        roles: ['user'],
      });
    });
  });

  describe('key rotation', () => {
    it('when a second key is added, then both are published, the newest signs, and tokens of the old key still verify', async () => {
      const oldPem = privateKeyPem('rsa');
      const before = await startUserApp({ keys: await testKeys(oldPem) });
      const oldSession = await before.signUp();
      await before.close();
      const rotated = await startUserApp({ keys: await testKeys(oldPem, privateKeyPem('ec')) });
      try {
        const jwks = await rotated.api.get('/.well-known/jwks.json');
        const fresh = await rotated.signUp();
        const verifier = createTokenVerifier({
          issuers: [
            {
              issuer: 'http://localhost:8080',
              audience: 'cartwheel',
              jwksUrl: `${rotated.url}/.well-known/jwks.json`,
            },
          ],
        });

        expect(jwks.body.keys.map((k: { alg: string }) => k.alg)).to.deep.equal(['RS256', 'ES256']);
        expect(decodeProtectedHeader(fresh.accessToken)).to.deep.include({
          alg: 'ES256',
          kid: jwks.body.keys[1].kid,
        });
        expect(decodeProtectedHeader(oldSession.accessToken)).to.deep.include({
          alg: 'RS256',
          kid: jwks.body.keys[0].kid,
        });
        expect((await verifier.verify(oldSession.accessToken)).subject).to.equal(String(oldSession.id));
        expect((await verifier.verify(fresh.accessToken)).subject).to.equal(String(fresh.id));
      } finally {
        await rotated.close();
      }
    });
  });

  describe('client credentials', () => {
    const token = (options: Parameters<typeof user.api.post>[1]) =>
      user.api.post('/api/v1/auth/token', options);
    const basic = (id: string, secret: string) => ({
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
    });

    it('when a configured client authenticates with HTTP Basic, then it gets a 5-minute token with role service', async () => {
      const response = await token({
        form: { grant_type: 'client_credentials' },
        headers: basic('order', 'order-secret-0123456789'),
      });

      expect(response.status).to.equal(200);
      expect(response.body).to.have.all.keys('access_token', 'token_type', 'expires_in');
      expect(response.body).to.deep.include({ token_type: 'bearer', expires_in: 300 });
      const claims = decodeJwt(response.body.access_token);
      expect(claims).to.deep.include({ sub: 'service:order', roles: ['service'], aud: 'cartwheel' });
      expect(claims.exp! - claims.iat!).to.equal(300);
    });

    it('when the client sends its credentials in a form or JSON body, then it gets a token too', async () => {
      const form = await token({
        form: {
          grant_type: 'client_credentials',
          client_id: 'order',
          client_secret: 'order-secret-0123456789',
        },
      });
      const json = await token({
        json: {
          grant_type: 'client_credentials',
          client_id: 'order',
          client_secret: 'order-secret-0123456789',
        },
      });

      expect([form.status, json.status]).to.deep.equal([200, 200]);
    });

    it('when the secret is wrong or the client unknown, then both get the same 401 invalid_client', async () => {
      const wrong = await token({
        form: { grant_type: 'client_credentials' },
        headers: basic('order', 'order-secret-0123456780'),
      });
      const unknown = await token({
        form: { grant_type: 'client_credentials' },
        headers: basic('mallory', 'order-secret-0123456789'),
      });

      for (const response of [wrong, unknown]) {
        expect(response.status).to.equal(401);
        expect(response.body).to.deep.include({
          error: 'invalid_client',
          detail: 'Client authentication failed',
        });
        expect(response.headers.get('www-authenticate')).to.equal('Basic realm="cartwheel"');
      }
    });

    it('when another grant type is asked for, then 400 unsupported_grant_type names grant_type', async () => {
      const response = await token({ form: { grant_type: 'password', username: 'a', password: 'b' } });

      expect(response.status).to.equal(400);
      expect(response.body).to.deep.include({ error: 'unsupported_grant_type' });
      expect(response.body.errors).to.deep.equal([
        { path: 'grant_type', message: 'must be client_credentials' },
      ]);
    });

    it('when a service token calls /users/me, then 403: services have no profile', async () => {
      const response = await token({
        form: { grant_type: 'client_credentials' },
        headers: basic('order', 'order-secret-0123456789'),
      });

      const me = await user.api.get('/api/v1/users/me', { token: response.body.access_token });

      expect(me.status).to.equal(403);
    });

    describe('through the kit HTTP client', () => {
      let upstream: RunningHttpServer;

      before(async () => {
        // Another service: accepts our tokens through the JWKS, and only the `service` role.
        const api = createApiRouter();
        api.route({
          method: 'get',
          path: '/internal/whoami',
          summary: 'who is calling',
          middleware: [
            authenticate(
              createTokenVerifier({
                issuers: [
                  {
                    issuer: 'http://localhost:8080',
                    audience: 'cartwheel',
                    jwksUrl: `${user.url}/.well-known/jwks.json`,
                  },
                ],
              }),
            ),
            requireRole('service'),
          ],
          handler: (ctx) => ({ subject: ctx.state.identity?.subject, roles: ctx.state.identity?.roles }),
        });
        upstream = await listen(
          createServiceApp({ service: 'inventory', logger, routers: [api] }).app,
          0,
          '127.0.0.1',
        );
      });

      after(async () => {
        await upstream.close();
      });

      it('when a service calls another with createClientCredentialsTokens, then the call is authorised as that service', async () => {
        const getToken = createClientCredentialsTokens({
          tokenUrl: `${user.url}/api/v1/auth/token`,
          clientId: 'order',
          clientSecret: 'order-secret-0123456789',
        });
        const inventory = createHttpClient({ name: 'inventory', baseUrl: upstream.url, getToken });
        try {
          const first = await inventory.get('/internal/whoami');
          const second = await inventory.get('/internal/whoami');

          expect(first).to.deep.include({
            status: 200,
            body: { subject: 'service:order', roles: ['service'] },
          });
          expect(second.status).to.equal(200);
        } finally {
          inventory.close();
        }
      });

      it('when a user token calls the service-only route, then 403', async () => {
        const response = await fetch(`${upstream.url}/internal/whoami`, {
          headers: { authorization: `Bearer ${account.accessToken}` },
        });

        expect(response.status).to.equal(403);
      });
    });
  });
});
