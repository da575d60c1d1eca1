import { unauthorized } from '@cartwheel/kit';
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
