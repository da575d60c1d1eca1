import { coversPath } from './route-table.js';

/** Which limit a request counts against (README "Rate limits"). */
export type RateLimitBucket = 'default' | 'ai' | 'auth';

const PUBLIC_AUTH_ACTIONS = new Set(['register', 'login', 'refresh', 'token', 'logout']);
const GATEWAY_OWN = ['/docs', '/.well-known'];
const GATEWAY_OWN_EXACT = new Set(['/openapi.json', '/health', '/ready', '/metrics']);

const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);

/**
 * Whether a request may pass the edge without a token (DESIGN §6): sign-up and sign-in, catalog
 * reads, the issuer's keys, the docs and the operational endpoints. A token that is sent anyway
 * is still verified: a bad one is a 401 even here.
 */
export function isPublicRoute(method: string, path: string): boolean {
  const p = trimSlash(path);
  if (GATEWAY_OWN_EXACT.has(p) || GATEWAY_OWN.some((prefix) => coversPath(prefix, p))) return true;
  if (method === 'POST') {
    const action = /^\/api\/v1\/auth\/([^/]+)$/.exec(p)?.[1];
    return action !== undefined && PUBLIC_AUTH_ACTIONS.has(action);
  }
  return (method === 'GET' || method === 'HEAD') && coversPath('/api/v1/products', p);
}

/**
 * The bucket a request is counted in, or undefined for what is not rate limited (everything
 * outside `/api/`). Each request counts in exactly one bucket.
 */
export function rateLimitBucket(method: string, path: string): RateLimitBucket | undefined {
  const p = trimSlash(path);
  if (!coversPath('/api', p)) return undefined;
  if (method === 'POST' && (p === '/api/v1/auth/login' || p === '/api/v1/auth/register')) return 'auth';
  if (coversPath('/api/v1/ai', p)) return 'ai';
  return 'default';
}
