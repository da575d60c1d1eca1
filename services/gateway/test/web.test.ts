import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildAssets, type BuiltAssets } from '@cartwheel/web';
import { expect } from 'chai';

import { WEB_CSP } from '../src/entry-points/http/web.routes.js';
import { rawRequest } from './support/http.js';
import { allRoutesTo, jsonOf, startGateway, testIssuer, type RunningGateway } from './support/gateway.js';
import { startUpstream, type FakeUpstream } from './support/upstream.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('gateway serving the storefront', function () {
  this.timeout(60_000);
  let root: string;
  let built: BuiltAssets;
  let upstream: FakeUpstream;
  let gw: RunningGateway;
  let token: string;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-web-'));
    built = await buildAssets({ outdir: path.join(root, 'public') });
    upstream = await startUpstream();
    gw = await startGateway({ env: { ...allRoutesTo(upstream.url), WEB_ROOT: built.outdir } });
    token = await (await testIssuer()).token({ subject: 'u-web', roles: ['user'] });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('when / is requested, then the page comes with the strict CSP, no-cache and only hashed external assets', async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).to.equal(WEB_CSP);
    expect(WEB_CSP).to.not.include('unsafe-inline');
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(res.headers.get('etag')).to.match(/^"[A-Za-z0-9_-]+"$/);
    const html = await res.text();
    expect(html).to.include(`<script type="module" src="/${built.script}"></script>`);
    expect(html).to.include(`<link rel="stylesheet" href="/${built.stylesheet}">`);
    expect(html, 'no inline script').to.not.match(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html, 'no inline style').to.not.match(/<style|\sstyle=/);
    expect(built.script).to.match(/^assets\/app-[A-Z0-9]{8}\.js$/);
    expect(upstream.requests).to.have.length(0);
  });

  it('when a hashed asset is requested, then it is served with its type and cached for a year', async () => {
    for (const [file, type] of [
      [built.script, 'text/javascript; charset=utf-8'],
      [built.stylesheet, 'text/css; charset=utf-8'],
    ]) {
      const res = await fetch(`${gw.url}/${file}`);
      expect(res.status, file).to.equal(200);
      expect(res.headers.get('content-type'), file).to.equal(type);
      expect(res.headers.get('cache-control'), file).to.equal('public, max-age=31536000, immutable');
      expect(res.headers.get('content-security-policy'), file).to.equal(WEB_CSP);
      expect((await res.arrayBuffer()).byteLength, file).to.be.greaterThan(1000);
    }
  });

  it('when HEAD is asked or the ETag still matches, then headers come without the body', async () => {
    const head = await rawRequest(`${gw.url}/${built.script}`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(Number(head.headers['content-length'])).to.be.greaterThan(1000);
    expect(head.body.length).to.equal(0);
    // node:http, not fetch: fetch adds `Cache-Control: no-cache` to conditional requests (a reload).
    const first = await rawRequest(`${gw.url}/`);
    const again = await rawRequest(`${gw.url}/`, {
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);
  });

  it('when a page of the app is requested as HTML, then index.html answers; asked as data, it never does', async () => {
    const index = await (await fetch(`${gw.url}/`)).text();
    for (const page of [
      '/orders/3f2c',
      '/admin/products/new',
      '/products/64d0c0de0000000000000001?x=1',
      '/cart',
    ]) {
      const res = await fetch(gw.url + page, { headers: HTML });
      expect(res.status, page).to.equal(200);
      expect(await res.text(), page).to.equal(index);
      expect(res.headers.get('vary'), page).to.include('Accept');
      expect(res.headers.get('cache-control'), page).to.equal('no-cache');
    }
    const data = await fetch(`${gw.url}/orders/3f2c`, { headers: { accept: 'application/json' } });
    expect(data.status).to.equal(401);
    expect(data.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const asset = await fetch(`${gw.url}/assets/app-NOPE0000.js`);
    expect(asset.status).to.equal(404);
    expect((await jsonOf(asset)).detail).to.equal('No file at /assets/app-NOPE0000.js');
  });

  it('when API and gateway paths are requested as HTML, then they never fall back to the page', async () => {
    const auth = { ...HTML, authorization: `Bearer ${token}` };
    const routed = await fetch(`${gw.url}/api/v1/products?q=lamp`, { headers: HTML });
    expect(await routed.json()).to.deep.equal({ method: 'GET', url: '/api/v1/products?q=lamp' });
    const wellKnown = await fetch(`${gw.url}/.well-known/jwks.json`, { headers: HTML });
    expect(await wellKnown.json()).to.deep.equal({ method: 'GET', url: '/.well-known/jwks.json' });
    const unrouted = await fetch(`${gw.url}/api/v1/nothing`, { headers: auth });
    expect(unrouted.status).to.equal(404);
    expect((await jsonOf(unrouted)).detail).to.equal('No route for GET /api/v1/nothing');
    expect((await fetch(`${gw.url}/api/v1/orders`, { headers: HTML })).status).to.equal(401);
    expect(await (await fetch(`${gw.url}/health`, { headers: HTML })).json()).to.have.property('status');
    expect((await fetch(`${gw.url}/metrics`, { headers: HTML })).headers.get('content-type')).to.match(
      /^text\/plain/,
    );
    expect((await fetch(`${gw.url}/openapi.json`, { headers: HTML })).headers.get('content-type')).to.match(
      /json/,
    );
    const docs = await fetch(`${gw.url}/docs`, { headers: HTML });
    expect(await docs.text()).to.include('swagger-ui');
    expect(docs.headers.get('content-security-policy')).to.not.equal(WEB_CSP);
    const forwarded = upstream.requests.map((r) => r.url).filter((url) => url !== '/openapi.json'); // merged docs
    expect(forwarded).to.deep.equal(['/api/v1/products?q=lamp', '/.well-known/jwks.json']);
  });

  it('when a path tries to leave the assets folder, then responds 404 and serves no file', async () => {
    const attempts = [
      '/..%2f..%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/../../../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/..\\..\\package.json',
      '//etc/passwd',
      '/assets/%00.js',
    ];
    for (const attempt of attempts) {
      for (const headers of [{}, HTML]) {
        const res = await rawRequest(gw.url + attempt, { headers });
        expect(res.status, `${attempt} ${JSON.stringify(headers)}`).to.equal(404);
        expect(res.body.toString(), attempt).to.not.match(/"workspaces"|root:x:0/);
      }
    }
    // Files in the folder but not in the manifest are never served either.
    for (const file of ['/manifest.json', '/assets/manifest.json', '/public/index.html']) {
      const res = await rawRequest(gw.url + file, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, file).to.equal(404);
      expect(res.body.toString(), file).to.not.include('"immutable"');
    }
  });

  it('when something other than GET or HEAD is sent to a page, then the page is not served', async () => {
    const res = await fetch(`${gw.url}/`, { method: 'POST', headers: HTML, body: 'x=1' });
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it('when the storefront is not built yet, then pages answer 503 saying to build, and a later build is served without a restart', async () => {
    const later = path.join(root, 'later');
    const fresh = await startGateway({ env: { ...allRoutesTo(upstream.url), WEB_ROOT: later } });
    try {
      const missing = await fetch(`${fresh.url}/`, { headers: HTML });
      expect(missing.status).to.equal(503);
      expect(missing.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((await jsonOf(missing)).detail).to.include('make build');
      expect((await fetch(`${fresh.url}/api/v1/products`)).status, 'the API still works').to.equal(200);

      const rebuilt = await buildAssets({ outdir: later, minify: false });
      const page = await fetch(`${fresh.url}/`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include(rebuilt.script);
      expect((await fetch(`${fresh.url}/${rebuilt.script}`)).status).to.equal(200);
    } finally {
      await fresh.close();
    }
  });
});
