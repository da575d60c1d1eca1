import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '@cartwheel/kit';
import type { UserDomain } from './context.js';
import { accountDisabled, invalidCredentials, invalidRefreshToken, tooManyAttempts } from './errors.js';
import { createDummyVerifier, hashPassword, needsRehash, verifyPassword } from './password-hash.js';
import type { UserTx } from './ports.js';
import { normalizeEmail, type User } from './user.js';

/** The login and refresh answer (OAuth 2.0 token response, RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

const REFRESH_TOKEN_BYTES = 32;
const dummyVerify = createDummyVerifier();

/** Refresh tokens are stored only as this digest: a database leak yields no usable token. */
export const refreshTokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Issues a new refresh token in `familyId` (a new session when omitted) and an access token bound to it. */
async function openSession(d: UserDomain, tx: UserTx, user: User, familyId: string = randomUUID()) {
  const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  await tx.refreshTokens.insert({
    token_hash: refreshTokenDigest(refreshToken),
    family_id: familyId,
    user_id: user.id,
    expires_at: new Date(d.now().getTime() + d.lifetimes.refreshTokenTtlSec * 1000),
  });
  const access = await d.tokens.mint(
    { subject: String(user.id), email: user.email, roles: [user.role], sessionId: familyId },
    d.lifetimes.accessTokenTtlSec,
  );
  const response: TokenResponse = {
    access_token: access.token,
    refresh_token: refreshToken,
    token_type: 'bearer',
    expires_in: access.expiresIn,
  };
  return response;
}

/**
 * Email + password → tokens. Unknown email and wrong password fail alike (same message, same
 * scrypt work); every attempt counts against the account and the IP until one succeeds.
 */
export async function login(
  d: UserDomain,
  email: string,
  password: string,
  ip: string,
): Promise<TokenResponse> {
  const account = normalizeEmail(email);
  const decision = await d.limiter.attempt(account, ip);
  if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSec);

  const found = await d.read.users.findCredentials(account);
  const hash = found?.passwordHash;
  const valid = hash ? await verifyPassword(password, hash) : await dummyVerify(password);
  if (!found || !hash || !valid) throw invalidCredentials();
  const { user } = found;
  await d.limiter.succeeded(account, ip);
  // Checked only after the password, so a disabled account is not revealed to someone guessing.
  if (!user.is_active) throw accountDisabled();

  const rehashed = needsRehash(hash) ? await hashPassword(password) : undefined;
  return d.run(async (tx) => {
    if (rehashed) await tx.users.update(user.id, { password_hash: rehashed });
    return openSession(d, tx, user);
  });
}

/**
 * Rotates a refresh token: the presented one is spent and a new one of the same family issued.
 * Presenting a spent token again means it was stolen (or replayed): the whole family is revoked,
 * and that revocation is committed before the 401 is thrown.
 */
export async function refresh(d: UserDomain, refreshToken: string): Promise<TokenResponse> {
  const now = d.now();
  const outcome = await d.run(async (tx) => {
    const record = await tx.refreshTokens.findForUpdate(refreshTokenDigest(refreshToken));
    if (!record || record.revoked_at || record.expires_at <= now) return { kind: 'invalid' } as const;
    if (record.rotated_at) {
      await tx.refreshTokens.revokeFamily(record.family_id, now);
      return { kind: 'reused' } as const;
    }
    const user = await tx.users.findById(record.user_id);
    if (!user || !user.is_active) {
      await tx.refreshTokens.revokeFamily(record.family_id, now);
      return { kind: 'disabled' } as const;
    }
    await tx.refreshTokens.markRotated(record.token_hash, now);
    return { kind: 'rotated', tokens: await openSession(d, tx, user, record.family_id) } as const;
  });
  if (outcome.kind === 'rotated') return outcome.tokens;
  throw outcome.kind === 'disabled' ? accountDisabled() : invalidRefreshToken();
}

/**
 * Ends a session: the family of the given refresh token, and/or the session (`sid`) of our own
 * access token. Unknown tokens are ignored, so logging out twice is harmless.
 */
export async function logout(
  d: UserDomain,
  input: { refreshToken?: string; identity?: Identity },
): Promise<void> {
  const now = d.now();
  const sid = input.identity?.issuer === d.tokens.issuer ? input.identity.claims.sid : undefined;
  await d.run(async (tx) => {
    if (input.refreshToken) {
      const record = await tx.refreshTokens.findForUpdate(refreshTokenDigest(input.refreshToken));
      if (record) await tx.refreshTokens.revokeFamily(record.family_id, now);
    }
    if (typeof sid === 'string') await tx.refreshTokens.revokeFamily(sid, now);
  });
}
