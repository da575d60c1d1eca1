import { AppError } from '@cartwheel/kit';
import type { Middleware } from 'koa';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS =
  'Authorization, Content-Type, Accept, Accept-Language, Idempotency-Key, X-Request-Id, traceparent, tracestate';
/** Response headers a browser script may read beyond the CORS-safelisted ones. */
const EXPOSED_HEADERS =
  'X-Request-Id, X-Total-Count, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy';

/** Headers of ours that an upstream's response must not override. */
export const isCorsHeader = (name: string) => name.startsWith('access-control-');

/**
 * CORS for the configured origins (`*` allows any); with none configured it adds nothing. A
 * preflight is answered here (204), before authentication and rate limits; a preflight from an
 * origin not on the list is a 403. Bearer tokens, not cookies, so no credentials mode.
 */
export function cors(origins: string[]): Middleware {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (origins.length === 0 || origin === '') return next();
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    ctx.vary('Origin');
    if (!any && !allowed.has(origin)) {
      if (!preflight) return next(); // no CORS headers: the browser withholds the response
      throw new AppError('cors_origin_not_allowed', 403, 'Forbidden', {
        detail: `Origin ${origin} may not call this API`,
      });
    }
    ctx.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (preflight) {
      ctx.set({
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    await next();
  };
}
