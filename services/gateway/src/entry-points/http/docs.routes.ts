import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { createApiRouter, notFound, type ApiRouter } from '@cartwheel/kit';
import { z } from 'zod';

// Resolved through package.json: importing swagger-ui-dist would evaluate its 1.7 MB bundle in Node.
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files served from swagger-ui-dist (no path ever reaches the file system unchecked). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * No inline script or style and nothing from another origin: the page works offline and under
 * this policy. Swagger UI sets element styles from script (CSSOM), which `style-src` allows.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Cartwheel API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="stylesheet" href="/docs/index.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/docs-init.js"></script>
  </body>
</html>
`;

/**
 * Served as a file, not inline, so the page needs no 'unsafe-inline'. No validator (it calls out
 * to the internet) and the base layout: the standalone top bar's logo carries an inline <style>
 * the policy would block, and its URL box would only ever load this same document.
 */
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/**
 * `/docs`: Swagger UI (swagger-ui-dist, served from this process, no CDN) showing the merged
 * `/openapi.json`.
 */
export function docsRoutes(): ApiRouter {
  const api = createApiRouter();
  api.route({
    method: 'get',
    path: '/docs',
    summary: 'API explorer for every service behind the gateway',
    handler: (ctx) => {
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = PAGE;
    },
  });
  api.route({
    method: 'get',
    path: '/docs/:asset',
    summary: 'Static files of the API explorer',
    params: z.object({ asset: z.string() }),
    handler: (ctx, { params }) => {
      ctx.set('Cache-Control', 'public, max-age=3600');
      if (params.asset === 'docs-init.js') {
        ctx.type = 'text/javascript; charset=utf-8';
        ctx.body = INITIALIZER;
        return;
      }
      const type = ASSETS[params.asset];
      if (!type) throw notFound('Asset', `No asset ${params.asset}`);
      ctx.type = type;
      ctx.body = createReadStream(path.join(SWAGGER_UI_DIR, params.asset));
    },
  });
  return api;
}
