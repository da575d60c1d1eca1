import { AppError, notFound, type Logger } from '@cartwheel/kit';
import { createAssetStore, type Asset, type LoadedAssets } from '@cartwheel/web';
import type { Context, Middleware } from 'koa';

import { coversPath, hasDotSegment } from '../../domain/route-table.js';

/**
 * The storefront's policy: its own script and styles only (no inline ones), images also from
 * https: (product image URLs), API calls to this origin, never framed.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Paths that are never the storefront's, whatever the request accepts. */
const NOT_WEB = ['/api', '/docs', '/openapi.json', '/health', '/ready', '/metrics', '/.well-known'];

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Where the build puts its files (`@cartwheel/web`'s `assets/` folder). */
const ASSETS_PREFIX = '/assets';

export interface WebOptions {
  /** Folder of the built storefront (`WEB_ROOT`, default `@cartwheel/web`'s `assetsDir`). */
  root: string;
  /** Whether the proxy routes `path` (discovered routes may lie outside `/api`). */
  proxied: (path: string) => boolean;
  logger: Logger;
}

/**
 * Path shapes that only probing produces: dot segments (also encoded), encoded or literal
 * backslashes, encoded slashes, NUL, empty segments. Refused with 404, never answered with a page.
 */
function isSuspicious(path: string): boolean {
  return hasDotSegment(path) || /%2f|%5c|%00|\\|\/\//i.test(path);
}

const assetsMissing = () =>
  new AppError('web_assets_missing', 503, 'Service Unavailable', {
    detail: 'The storefront is not built: run `make build` (or `npm run build`) and reload',
    operational: true,
  });

const assetsBroken = () =>
  new AppError('web_assets_unreadable', 503, 'Service Unavailable', {
    detail: 'The storefront build is incomplete or unreadable: run `make build` again',
    operational: true,
  });

/** Sends `asset` with validators; a matching If-None-Match gets 304 without a body. */
function send(ctx: Context, asset: Asset, cacheControl: string, route: string): void {
  // The kit labels metrics and logs with this template, never with the raw path.
  (ctx as unknown as { _matchedRoute: string })._matchedRoute = route;
  ctx.set('Content-Security-Policy', WEB_CSP);
  ctx.set('Cache-Control', cacheControl);
  ctx.status = 200;
  ctx.etag = asset.etag;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = asset.contentType;
  ctx.body = asset.body;
}

/**
 * Serves the built storefront (GET and HEAD, public): `index.html` at `/`, the files its manifest
 * lists under `/assets/` (by exact path, from memory: a request path never reaches the file
 * system), and `index.html` again for page requests (Accept: text/html) to any other path that
 * is not the gateway's own or proxied, i.e. the app's routes such as `/orders/1`. Hashed files
 * are cached for a year, the page is revalidated every time. Other requests pass on unchanged
 * to CORS, rate limits, edge authentication and the proxy.
 */
export function webRoutes(options: WebOptions): Middleware {
  const store = createAssetStore(options.root);
  let warned = false;

  async function assets(): Promise<LoadedAssets> {
    let loaded: LoadedAssets | undefined;
    try {
      loaded = await store.current();
    } catch (error) {
      options.logger.error({ err: error, root: options.root }, 'storefront assets are unreadable');
      throw assetsBroken();
    }
    if (!loaded) {
      if (!warned) options.logger.warn({ root: options.root }, 'storefront assets are not built');
      warned = true;
      throw assetsMissing();
    }
    warned = false;
    return loaded;
  }

  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const path = ctx.path;
    if (NOT_WEB.some((prefix) => coversPath(prefix, path)) || options.proxied(path)) return next();
    if (isSuspicious(path)) throw notFound('Page', `No page at ${path}`);
    const isIndex = path === '/' || path === '/index.html';
    const isPage = isIndex || /\btext\/html\b/i.test(ctx.get('Accept'));
    if (!isPage && !coversPath(ASSETS_PREFIX, path)) return next();

    const loaded = await assets();
    const file = isIndex ? undefined : loaded.files.get(path);
    if (file) return send(ctx, file, file.immutable ? IMMUTABLE : 'no-cache', `${ASSETS_PREFIX}/*`);
    if (!isPage) throw notFound('File', `No file at ${path}`);
    ctx.vary('Accept');
    send(ctx, loaded.index, 'no-cache', '/*');
  };
}
