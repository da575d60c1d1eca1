import type { Middleware } from 'koa';

import { forbidden, unauthorized } from '../errors/app-error.js';
import { hasAnyRole, type Identity, type Role } from './identity.js';
import type { TokenVerifier } from './token-verifier.js';

/** What the auth middleware puts on `ctx.state`. */
export interface AuthState {
  /** Set by `authenticate` when a valid token was sent; absent on anonymous requests. */
  identity?: Identity;
}

// Typed `ctx.state.identity` in every service that imports the kit, without each route naming a state type.
declare module 'koa' {
  interface DefaultState {
    identity?: Identity;
  }
}

export interface AuthenticateOptions {
  /** Let requests without an Authorization header through anonymously (a bad token is still a 401). */
  optional?: boolean;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * Verifies `Authorization: Bearer <token>` and sets `ctx.state.identity`. A missing header is a
 * 401 unless `optional`; a header that is present but malformed, or a token that fails
 * verification, is always a 401 — silently treating it as anonymous would hide client bugs.
 *
 * @example router.use(authenticate(verifier, { optional: true }));
 */
export function authenticate(
  verifier: TokenVerifier,
  options: AuthenticateOptions = {},
): Middleware<AuthState> {
  return async function authenticateMiddleware(ctx, next) {
    const header = ctx.get('Authorization');
    if (header === '') {
      if (!options.optional) throw unauthorized('Bearer token required');
      return next();
    }
    const match = BEARER.exec(header);
    if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
    ctx.state.identity = await verifier.verify(match[1]);
    return next();
  };
}

/**
 * Lets the request through when the identity holds at least one of `roles`: 401 when nobody is
 * authenticated, 403 naming the needed role(s) otherwise. Mount after `authenticate`.
 *
 * @example router.post('/products', requireRole('admin'), createProduct);
 */
export function requireRole(...roles: Role[]): Middleware<AuthState> {
  if (roles.length === 0) throw new TypeError('requireRole needs at least one role');
  const detail =
    roles.length === 1 ? `Requires the ${roles[0]} role` : `Requires one of the roles: ${roles.join(', ')}`;
  return async function requireRoleMiddleware(ctx, next) {
    const identity = ctx.state.identity;
    if (!identity) throw unauthorized();
    if (!hasAnyRole(identity, roles)) throw forbidden(detail);
    return next();
  };
}
