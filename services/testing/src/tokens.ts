/**
 * Token fixtures for tests: signing keys, signed and forged JWTs, a JWKS endpoint on a real
 * port, and a ready-made issuer whose tokens a service under test accepts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { randomUUID } from 'node:crypto';

import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';

/** A signing key pair plus its public JWK (with `kid` and `alg`), as an issuer would publish it. */
export interface TestKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createTestKey(alg: 'RS256' | 'ES256', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

export interface TokenSpec {
  key: TestKey;
  issuer: string;
  audience: string;
  subject?: string;
  /** Seconds from now; negative for already expired. */
  expiresInSec?: number;
  claims?: JWTPayload;
}

export async function signToken(spec: TokenSpec): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...spec.claims })
    .setProtectedHeader({ alg: spec.key.alg, kid: spec.key.kid, typ: 'JWT' })
    .setIssuer(spec.issuer)
    .setAudience(spec.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (spec.expiresInSec ?? 300));
  if (spec.subject !== undefined) jwt.setSubject(spec.subject);
  return jwt.sign(spec.key.privateKey);
}

/** An unsigned token (`alg: none`), built by hand because jose refuses to produce one for verification. */
export function unsignedToken(payload: JWTPayload): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/** A JWKS endpoint on a real port: `keys` can be swapped to simulate rotation; `hits` counts fetches. */
export interface JwksServer {
  url: string;
  keys: JWK[];
  /** HTTP status to answer with; anything but 200 simulates a broken identity provider. */
  status: number;
  hits: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const state = { keys, hits: 0, status: 200 };
  const server: Server = createServer((_req, res) => {
    state.hits += 1;
    res.writeHead(state.status, { 'content-type': 'application/jwk-set+json' });
    res.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/certs`,
    get keys() {
      return state.keys;
    },
    set keys(next: JWK[]) {
      state.keys = next;
    },
    get status() {
      return state.status;
    },
    set status(next: number) {
      state.status = next;
    },
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Runs `promise` expecting an AppError-like rejection and returns it for assertions. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; detail?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: string; detail?: string };
  }
  throw new Error('expected the promise to reject');
}

/** What a test needs to call a protected route: who is asking and with which roles. */
export interface TestPrincipal {
  subject: string;
  roles: string[];
  email?: string;
  /** Seconds from now; negative for already expired. */
  expiresInSec?: number;
}

/**
 * An issuer for service tests: pass `{ issuer, audience, jwks }` to the kit's
 * `createTokenVerifier`, then mint tokens with `token()`.
 *
 * @example const issuer = await createTestIssuer(); const admin = await issuer.token({ subject: '1', roles: ['admin'] });
 */
export interface TestIssuer {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  key: TestKey;
  token(principal: TestPrincipal): Promise<string>;
}

export async function createTestIssuer(
  issuer = 'http://issuer.test',
  audience = 'cartwheel',
): Promise<TestIssuer> {
  const key = await createTestKey('ES256', `test-${randomUUID()}`);
  return {
    issuer,
    audience,
    jwks: { keys: [key.publicJwk] },
    key,
    token: ({ subject, roles, email, expiresInSec }) =>
      signToken({
        key,
        issuer,
        audience,
        subject,
        expiresInSec,
        claims: { roles, jti: randomUUID(), ...(email ? { email } : {}) },
      }),
  };
}
