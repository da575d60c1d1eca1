import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { Role } from '@cartwheel/kit';

/** One signing key: the private half signs, the public JWK is published. */
export interface SigningKey {
  /** RFC 7638 JWK thumbprint of the public key. */
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: JWK;
}

/** Every active key (all published in the JWKS); the newest — the last — signs. */
export interface KeyRing {
  signing: SigningKey;
  jwks: JSONWebKeySet;
}

export function keyRing(keys: SigningKey[]): KeyRing {
  if (keys.length === 0) throw new TypeError('a key ring needs at least one key');
  return { signing: keys[keys.length - 1], jwks: { keys: keys.map((key) => key.publicJwk) } };
}

export interface AccessTokenClaims {
  subject: string;
  roles: Role[];
  email?: string;
  /** The refresh-token family (session) this access token belongs to. */
  sessionId?: string;
}

export interface MintedToken {
  token: string;
  expiresIn: number;
}

export interface TokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  mint(claims: AccessTokenClaims, ttlSec: number): Promise<MintedToken>;
}

/**
 * Mints Cartwheel access tokens (DESIGN §7 "Roles"): iss, aud, sub, email, roles, jti, iat, exp,
 * plus `sid` for user sessions; `kid` and `alg` in the header.
 */
export function createTokenIssuer(options: {
  keys: KeyRing;
  issuer: string;
  audience: string;
  now?: () => number;
}): TokenIssuer {
  const now = options.now ?? Date.now;
  const { signing } = options.keys;
  return {
    issuer: options.issuer,
    audience: options.audience,
    async mint(claims, ttlSec) {
      const iat = Math.floor(now() / 1000);
      const payload: Record<string, unknown> = { roles: claims.roles };
      if (claims.email) payload.email = claims.email;
      if (claims.sessionId) payload.sid = claims.sessionId;
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.subject)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSec)
        .sign(signing.privateKey);
      return { token, expiresIn: ttlSec };
    },
  };
}
