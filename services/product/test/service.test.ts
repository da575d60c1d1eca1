// The service as `make start` runs it: embedded store under the data dir, the in-process bus,
// tokens verified through the JWKS URL from the environment, demo data on first start.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  createEmbeddedBus,
  createLogger,
  type CloudEvent,
  type EventBus,
  type RunningService,
  type ServiceRuntime,
} from '@cartwheel/kit';
import {
  createTestIssuer,
  eventually,
  startJwksServer,
  type JwksServer,
  type TestIssuer,
} from '@cartwheel/testing';
import { service } from '../src/index.js';
import { DEMO_PRODUCTS } from '../src/domain/demo-catalog.js';
import { httpClient, SEED_PRODUCTS } from './support/http.js';

describe('product service (embedded mode)', function () {
  let dataDir: string;
  let bus: EventBus;
  let issuer: TestIssuer;
  let jwks: JwksServer;
  const running: RunningService[] = [];
  const created: CloudEvent[] = [];

  beforeEach(async function () {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'product-service-'));
    bus = createEmbeddedBus();
    await bus.ensureTopics(['products']);
    created.length = 0;
    await bus.subscribe({
      groupId: 'inventory-stand-in',
      topics: ['products'],
      handler: async (e) => void created.push(e),
    });
    issuer = await createTestIssuer('http://localhost:8080');
    jwks = await startJwksServer(issuer.jwks.keys);
  });
  afterEach(async function () {
    for (const service of running.splice(0)) await service.stop();
    await bus.close();
    await jwks.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv = {}) {
    const runtime: ServiceRuntime = {
      mode: 'embedded',
      dataDir,
      bus,
      logger: createLogger({ service: 'product', level: 'silent' }),
      env: { JWT_JWKS_URL: jwks.url, ...env },
    };
    const started = await service.start(runtime, 0);
    running.push(started);
    return { started, call: httpClient(started.url) };
  }
  const stop = async (started: RunningService) => {
    running.splice(running.indexOf(started), 1);
    await started.stop();
  };

  it('when it starts on an empty data dir, then it seeds the demo catalog once and announces every demo product', async function () {
    // Act
    const first = await start();
    const listed = await first.call('GET', '/api/v1/products?limit=100');
    await eventually(
      'every demo product.created is delivered',
      () => created.length === DEMO_PRODUCTS.length,
    );
    await stop(first.started);
    const second = await start();
    const relisted = await second.call('GET', '/api/v1/products?limit=100');

    // Assert
    expect(listed.body.map((p: { _id: string }) => p._id)).to.deep.equal(DEMO_PRODUCTS.map((p) => p.id));
    expect(created.map((e) => e.subject)).to.have.members(DEMO_PRODUCTS.map((p) => p.id));
    expect(relisted.body).to.deep.equal(listed.body);
    expect(created).to.have.length(DEMO_PRODUCTS.length);
    const walkthrough = await second.call('GET', '/api/v1/products?min_price=100&max_price=300');
    expect(walkthrough.body).to.deep.equal([]);
    expect((await second.call('GET', '/api/v1/products?category=Electronics')).body).to.deep.equal([]);
  });

  it('when CARTWHEEL_DEMO_DATA is false, then the catalog starts empty', async function () {
    // Act
    const { call } = await start({ CARTWHEEL_DEMO_DATA: 'false' });
    const reply = await call('GET', '/api/v1/products');

    // Assert
    expect(reply.body).to.deep.equal([]);
    expect(reply.headers.get('x-total-count')).to.equal('0');
  });

  it('when an admin token from the configured issuer creates a product, then it survives a restart with its stock', async function () {
    // Arrange
    const admin = await issuer.token({ subject: '1', roles: ['admin'] });
    const first = await start({ CARTWHEEL_DEMO_DATA: 'false' });
    const product = (await first.call('POST', '/api/v1/products', { token: admin, body: SEED_PRODUCTS[0] }))
      .body;
    await bus.ensureTopics(['inventory']);
    await bus.publish('inventory', [
      {
        specversion: '1.0',
        id: 'stock-1',
        source: '/services/inventory',
        type: 'stock.updated',
        subject: product._id,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: {
          product_id: product._id,
          available_quantity: 48,
          reserved_quantity: 2,
          version: 2,
          stock: 48,
        },
      },
    ]);
    await eventually('the stock is projected', async () => {
      return (await first.call('GET', `/api/v1/products/${product._id}`)).body.quantity === 48;
    });

    // Act
    await stop(first.started);
    const second = await start({ CARTWHEEL_DEMO_DATA: 'false' });
    const reply = await second.call('GET', `/api/v1/products/${product._id}`);

    // Assert
    expect(reply.body).to.deep.equal({ ...product, quantity: 48 });
    expect(created.filter((e) => e.subject === product._id).map((e) => e.type)).to.deep.equal([
      'product.created',
    ]);
  });

  it('when a variable is invalid, then start fails naming it', async function () {
    // Act
    const failure = await start({ CATALOG_CURRENCY: 'dollars', MONGO_URL: 'http://nope' }).then(
      () => undefined,
      (error: Error) => error,
    );

    // Assert
    expect(failure?.message).to.contain('CATALOG_CURRENCY').and.to.contain('MONGO_URL');
  });

  it('when it is running, then /ready checks the store and /openapi.json documents the product routes', async function () {
    // Arrange
    const { call } = await start({ CARTWHEEL_DEMO_DATA: 'false' });

    // Act
    const ready = await call('GET', '/ready');
    const openapi = await call('GET', '/openapi.json');

    // Assert
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ 'catalog store': 'ok' });
    expect(Object.keys(openapi.body.paths)).to.include.members([
      '/api/v1/products',
      '/api/v1/products/search',
      '/api/v1/products/{id}',
    ]);
    expect(openapi.body.paths['/api/v1/products'].post.security).to.deep.equal([{ bearerAuth: [] }]);
  });
});
