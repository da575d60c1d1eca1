import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

import { AppError, unauthorized } from '../errors/app-error.js';
import { mapRoles, type Identity, type RolesClaim } from './identity.js';

/** Only asymmetric algorithms: a shared secret (HS*) would let any holder mint tokens, and `none` signs nothing. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

/** Far larger than any real access token; stops us decoding megabytes of attacker input. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** Skew larger than this would make `exp` meaningless, so configs asking for more are refused. */
const MAX_CLOCK_TOLERANCE_SEC = 300;

interface IssuerBase {
  /** Exact `iss` value, e.g. `http://keycloak/realms/cartwheel`. */
  issuer: string;
  /** Accepted `aud` value(s); the token must name at least one. */
  audience: string | string[];
  /** Where this issuer puts roles; default `roles` (our own tokens). Keycloak: `realm_access.roles`. */
  rolesClaim?: RolesClaim;
}

/** An issuer whose keys are fetched from a JWKS endpoint (e.g. Keycloak's `.../protocol/openid-connect/certs`). */
export interface RemoteIssuerConfig extends IssuerBase {
  jwksUrl: string | URL;
  /** Minimum gap between refetches triggered by an unknown `kid` (default 30 s). */
  jwksCooldownMs?: number;
  /** Refetch the set after this long even when every `kid` is known (default 10 min). */
  jwksCacheMaxAgeMs?: number;
  /** Timeout of one JWKS fetch (default 5 s). */
  jwksTimeoutMs?: number;
}

/** An issuer whose public keys are known in process (the user service verifying its own tokens). */
export interface LocalIssuerConfig extends IssuerBase {
  jwks: JSONWebKeySet;
}

export type IssuerConfig = RemoteIssuerConfig | LocalIssuerConfig;

export interface TokenVerifierOptions {
  issuers: IssuerConfig[];
  /** Allowed clock skew for `exp`/`nbf`, in seconds (default 30, at most 300). */
  clockToleranceSec?: number;
}

/** Checks bearer tokens against the configured issuers. */
export interface TokenVerifier {
  /** Verifies `token` and returns who it names; rejects with an AppError (401, or 503 when keys cannot be fetched). */
  verify(token: string): Promise<Identity>;
}

interface ResolvedIssuer {
  config: IssuerConfig;
  getKey: JWTVerifyGetKey;
}

/**
 * Builds the verifier for every accepted issuer. The issuer is chosen from the token's
 * unverified `iss`, then the token is verified against that issuer's keys only, so one
 * issuer's keys can never vouch for another issuer's tokens.
 *
 * @example const verifier = createTokenVerifier({ issuers: [{ issuer, audience: 'cartwheel', jwksUrl }] });
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clockTolerance = options.clockToleranceSec ?? 30;
  if (!(clockTolerance >= 0 && clockTolerance <= MAX_CLOCK_TOLERANCE_SEC)) {
    throw new TypeError(`clockToleranceSec must be between 0 and ${MAX_CLOCK_TOLERANCE_SEC}`);
  }
  if (options.issuers.length === 0) throw new TypeError('createTokenVerifier needs at least one issuer');

  const byIssuer = new Map<string, ResolvedIssuer>();
  for (const config of options.issuers) {
    if (byIssuer.has(config.issuer)) throw new TypeError(`issuer ${config.issuer} is configured twice`);
    byIssuer.set(config.issuer, { config, getKey: keyResolver(config) });
  }

  async function verify(token: string): Promise<Identity> {
    const issuer = pickIssuer(token, byIssuer);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, issuer.getKey, {
        algorithms: [...ACCEPTED_ALGORITHMS],
        issuer: issuer.config.issuer,
        audience: issuer.config.audience,
        clockTolerance,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw toVerificationError(error);
    }
    return toIdentity(payload, issuer.config);
  }
  return { verify };
}

function keyResolver(config: IssuerConfig): JWTVerifyGetKey {
  if ('jwks' in config) return createLocalJWKSet(config.jwks);
  return createRemoteJWKSet(new URL(config.jwksUrl), {
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: config.jwksCacheMaxAgeMs,
    timeoutDuration: config.jwksTimeoutMs,
  });
}

/**
 * Reads the header and `iss` without trusting them, only to refuse early (no JWKS fetch for
 * garbage or `alg: none`) and to choose which keys to verify with.
 */
function pickIssuer(token: string, byIssuer: Map<string, ResolvedIssuer>): ResolvedIssuer {
  if (token.length > MAX_TOKEN_LENGTH) throw unauthorized('token is too large');
  let alg: unknown;
  let iss: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
    iss = decodeJwt(token).iss;
  } catch {
    throw unauthorized('malformed token');
  }
  if (!(ACCEPTED_ALGORITHMS as readonly unknown[]).includes(alg)) {
    throw unauthorized('token algorithm not allowed');
  }
  const issuer = typeof iss === 'string' ? byIssuer.get(iss) : undefined;
  if (!issuer) throw unauthorized('token issuer not accepted');
  return issuer;
}

function toIdentity(payload: JWTPayload, config: IssuerConfig): Identity {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthorized('token has no subject');
  const identity: Identity = {
    subject: payload.sub,
    roles: mapRoles(payload, config.rolesClaim ?? 'roles'),
    issuer: config.issuer,
    claims: payload,
  };
  if (typeof payload.email === 'string') identity.email = payload.email;
  if (typeof payload.jti === 'string') identity.tokenId = payload.jti;
  return identity;
}

const CLAIM_REASONS: Record<string, string> = {
  iss: 'token issuer not accepted',
  aud: 'token audience not accepted',
  nbf: 'token not yet valid',
  sub: 'token has no subject',
  exp: 'token has no expiry',
};

/**
 * A short, stable reason for the client; jose's own message stays in `cause` for logs. Failing
 * to fetch keys is our outage, not a bad token, so it is a 503: a 401 would make clients drop
 * valid tokens and send users back to the login page.
 */
function toVerificationError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired) return withCause(unauthorized('token expired'), error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return withCause(
      unauthorized(CLAIM_REASONS[error.claim] ?? `token claim ${error.claim} is invalid`),
      error,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return withCause(unauthorized('token algorithm not allowed'), error);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return withCause(unauthorized('invalid token signature'), error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return withCause(unauthorized('unknown signing key'), error);
  const keysUnavailable =
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC';
  if (keysUnavailable) {
    return new AppError('auth_unavailable', 503, 'Service Unavailable', {
      detail: 'Cannot verify tokens right now',
      operational: true,
      headers: { 'Retry-After': '5' },
      cause: error,
    });
  }
  return withCause(unauthorized('invalid token'), error);
}

function withCause(appError: AppError, cause: unknown): AppError {
  return new AppError(appError.code, appError.status, appError.message, {
    detail: appError.detail,
    headers: appError.headers,
    cause,
  });
}
