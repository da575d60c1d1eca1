import { expect } from 'chai';

import { jsonOf, startGateway, type RunningGateway } from './support/gateway.js';
import { json, startUpstream, type FakeUpstream } from './support/upstream.js';

const problem = { type: 'object', properties: { detail: { type: 'string' } } };

const userDoc = {
  openapi: '3.1.0',
  info: { title: 'user', version: '1' },
  paths: {
    '/api/v1/auth/login': { post: { summary: 'Log in', responses: {} } },
    '/api/v1/users/me': { get: { summary: 'Me', tags: ['users'], responses: {} } },
    '/health': { get: { summary: 'Alive', responses: {} } },
  },
  components: { schemas: { Problem: problem } },
};

/** Documents its paths relative to its server URL, as some generators do. */
const productDoc = {
  openapi: '3.1.0',
  info: { title: 'product', version: '1' },
  servers: [{ url: '/api/v1' }],
  paths: {
    '/products': { get: { summary: 'List', responses: { 200: { $ref: '#/components/responses/Items' } } } },
    '/products/{id}': { get: { summary: 'One', responses: {} } },
    '/orders': { get: { summary: 'Not routed to product', responses: {} } },
  },
  components: {
    schemas: { Problem: problem, Item: { type: 'object', properties: { sku: { type: 'string' } } } },
    responses: {
      Items: {
        description: 'items',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
      },
    },
  },
};

const inventoryDoc = {
  openapi: '3.1.0',
  info: { title: 'inventory', version: '1' },
  paths: {
    '/api/v1/inventory/{product_id}': {
      get: {
        summary: 'Stock',
        responses: {
          200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
        },
      },
    },
  },
  components: { schemas: { Item: { type: 'object', properties: { available: { type: 'integer' } } } } },
};

describe('gateway docs', () => {
  const upstreams: Record<string, FakeUpstream> = {};
  let gw: RunningGateway;
  let hangingAi: FakeUpstream;

  before(async () => {
    for (const [name, doc] of Object.entries({
      user: userDoc,
      product: productDoc,
      inventory: inventoryDoc,
    })) {
      const upstream = await startUpstream();
      upstream.handle = (req, res) =>
        req.url === '/openapi.json' ? json(res, 200, doc) : json(res, 200, {});
      upstreams[name] = upstream;
    }
    hangingAi = await startUpstream();
    hangingAi.handle = () => undefined; // never answers
    gw = await startGateway({
      env: {
        USER_URL: upstreams.user.url,
        PRODUCT_URL: upstreams.product.url,
        INVENTORY_URL: upstreams.inventory.url,
        ORDER_URL: 'http://127.0.0.1:9', // nothing listens
        AI_URL: hangingAi.url,
        OPENAPI_FETCH_TIMEOUT_MS: '300',
        OPENAPI_CACHE_MS: '60000',
      },
    });
  });
  after(async () => {
    await gw.close();
    await Promise.all([...Object.values(upstreams), hangingAi].map((u) => u.close()));
  });

  describe('/openapi.json', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document
    let doc: any;
    before(async () => {
      const res = await fetch(`${gw.url}/openapi.json`);
      expect(res.status).to.equal(200);
      doc = await res.json();
    });

    it('merges the paths every upstream serves through the gateway, under their full gateway paths', () => {
      expect(Object.keys(doc.paths)).to.have.members([
        '/api/v1/auth/login',
        '/api/v1/users/me',
        '/api/v1/products',
        '/api/v1/products/{id}',
        '/api/v1/inventory/{product_id}',
      ]);
      expect(doc.openapi).to.equal('3.1.0');
      expect(doc.servers).to.deep.equal([{ url: '/' }]);
    });

    it('when an upstream is down or too slow, then it is skipped and named in x-unavailable', () => {
      expect(doc['x-unavailable']).to.have.members(['order', 'ai']);
    });

    it('tags untagged operations with their upstream and keeps existing tags', () => {
      expect(doc.paths['/api/v1/auth/login'].post.tags).to.deep.equal(['user']);
      expect(doc.paths['/api/v1/users/me'].get.tags).to.deep.equal(['users']);
    });

    it('when two upstreams define a component differently, then one is renamed and its $refs follow', () => {
      expect(doc.components.schemas.Problem).to.deep.equal(problem);
      expect(doc.components.schemas.Item.properties).to.have.property('sku');
      expect(doc.components.schemas.inventory_Item.properties).to.have.property('available');
      const stock = doc.paths['/api/v1/inventory/{product_id}'].get.responses[200];
      expect(stock.content['application/json'].schema.$ref).to.equal('#/components/schemas/inventory_Item');
      expect(doc.components.responses.Items.content['application/json'].schema.$ref).to.equal(
        '#/components/schemas/Item',
      );
    });

    it('when asked again within OPENAPI_CACHE_MS, then the upstreams are not asked again', async () => {
      const before = upstreams.user.requests.length;
      await jsonOf(await fetch(`${gw.url}/openapi.json`));
      expect(upstreams.user.requests.length).to.equal(before);
    });
  });

  describe('/docs', () => {
    it('serves the explorer page with local assets only and a policy without inline script', async () => {
      const res = await fetch(`${gw.url}/docs`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).to.include("script-src 'self'");
      expect(csp).to.not.include('unsafe-inline');
      const html = await res.text();
      expect(html).to.not.match(/https?:\/\//);
      expect(html).to.not.match(/<script>[^<]/); // no inline script
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).to.include.members(['/docs/swagger-ui-bundle.js', '/docs/docs-init.js']);
      for (const asset of assets) {
        const file = await fetch(gw.url + asset);
        expect(file.status, asset).to.equal(200);
        expect((await file.arrayBuffer()).byteLength, asset).to.be.greaterThan(100);
      }
    });

    it('points the explorer at /openapi.json without any outside validator', async () => {
      const init = await fetch(`${gw.url}/docs/docs-init.js`);
      expect(init.headers.get('content-type')).to.match(/^text\/javascript/);
      const script = await init.text();
      expect(script).to.include("url: '/openapi.json'");
      expect(script).to.include('validatorUrl: null');
    });

    it('when a file outside the explorer is asked for, then responds 404', async () => {
      for (const path of ['/docs/package.json', '/docs/..%2F..%2Fpackage.json', '/docs/index.html']) {
        expect((await fetch(gw.url + path)).status, path).to.equal(404);
      }
    });
  });
});
