import { forbidden, unauthorized, type Identity, type TokenVerifier } from '@cartwheel/kit';
import type { Context } from 'koa';
import { resolveCaller } from '../../domain/caller.use-case.js';
import type { UserDomain } from '../../domain/context.js';
import type { User } from '../../domain/user.js';

/** The account of the authenticated request (mount `authenticate` first). */
export function callerOf(d: UserDomain, ctx: Context): Promise<User> {
  const identity = ctx.state.identity;
  if (!identity) throw unauthorized();
  return resolveCaller(d, identity);
}

/**
 * The caller of an admin route, checked against the account as stored now: an admin demoted or
 * disabled a minute ago loses access here at once, not when the token expires.
 */
export async function adminOf(d: UserDomain, ctx: Context): Promise<User> {
  const caller = await callerOf(d, ctx);
  if (caller.role !== 'admin') throw forbidden('Requires the admin role');
  return caller;
}

/**
 * The bearer token's identity when one is sent. A bad token is a 401, unless `tolerateInvalid`
 * (logout with a refresh token in hand must work after the access token expired).
 */
export async function optionalIdentity(
  verifier: TokenVerifier,
  ctx: Context,
  tolerateInvalid: boolean,
): Promise<Identity | undefined> {
  const header = ctx.get('Authorization');
  if (header === '') return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  try {
    if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
    return await verifier.verify(match[1]);
  } catch (error) {
    if (tolerateInvalid) return undefined;
    throw error;
  }
}

/** Token responses must not be cached by anyone (RFC 6749 §5.1). */
export function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}

/** 204 No Content: the handler returns nothing, so the router leaves the status to us. */
export function noContent(ctx: Context): undefined {
  ctx.status = 204;
  return undefined;
}
