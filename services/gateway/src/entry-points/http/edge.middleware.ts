import { authenticate, unauthorized, type TokenVerifier } from '@cartwheel/kit';
import type { Middleware } from 'koa';

import { isPublicRoute } from '../../domain/access-policy.js';
import { clientAddress, type ClientAddress } from '../../domain/client-address.js';

declare module 'koa' {
  interface DefaultState {
    /** Set by `identifyCaller` on every request. */
    client?: ClientAddress;
    /** Why the bearer token sent was refused; thrown by `requireAuthentication`. */
    authError?: unknown;
  }
}

/**
 * Works out who is calling before anything else decides: the client address (X-Forwarded-For
 * believed only from `trustedHops` trusted proxies) and, when a bearer token is sent, the
 * verified identity. A refused token is remembered, not thrown yet, so the rate limiter still
 * counts the request (per IP) before `requireAuthentication` answers 401.
 */
export function identifyCaller(verifier: TokenVerifier, trustedHops: number): Middleware {
  const verify = authenticate(verifier, { optional: true });
  return async (ctx, next) => {
    ctx.state.client = clientAddress(
      {
        peer: ctx.req.socket.remoteAddress,
        forwardedFor: ctx.get('X-Forwarded-For'),
        forwardedProto: ctx.get('X-Forwarded-Proto'),
        forwardedHost: ctx.get('X-Forwarded-Host'),
        host: ctx.get('Host'),
        encrypted: 'encrypted' in ctx.req.socket,
      },
      trustedHops,
    );
    try {
      await verify(ctx, async () => undefined);
    } catch (error) {
      ctx.state.authError = error;
    }
    await next();
  };
}

/**
 * Edge authentication (DESIGN §6): a refused token is a 401 on every route, public ones
 * included; without a token only public routes pass. Services verify the token again.
 */
export function requireAuthentication(): Middleware {
  return async (ctx, next) => {
    if (ctx.state.authError) throw ctx.state.authError;
    if (!ctx.state.identity && !isPublicRoute(ctx.method, ctx.path))
      throw unauthorized('Bearer token required');
    await next();
  };
}
