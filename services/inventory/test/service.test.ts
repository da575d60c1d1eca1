// The ServiceDefinition as the platform starts it: configuration from the environment, PGlite
// under the data directory (embedded mode), the user service's JWKS for tokens.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, createEmbeddedBus, type EventBus, type RunningService } from '@cartwheel/kit';
import { createTestIssuer, startJwksServer, type JwksServer, type TestIssuer } from '@cartwheel/testing';
import { expect } from 'chai';
import { service } from '../src/index.js';
import { newProductId } from './support/fixtures.js';
import { silentLogger } from './support/harness.js';
import { call, client } from './support/http.js';

describe('inventory ServiceDefinition (embedded mode)', function () {
  // PGlite on disk takes seconds to initialise, more under coverage.
  this.timeout(90_000);
  let dataDir: string;
  let bus: EventBus;
  let issuer: TestIssuer;
  let jwks: JwksServer;
  let running: RunningService | undefined;

  const start = (env: NodeJS.ProcessEnv = {}) =>
    service.start(
      {
        mode: 'embedded',
        dataDir,
        bus,
        logger: silentLogger,
        env: { JWT_ISSUER: issuer.issuer, JWT_JWKS_URL: jwks.url, ...env },
      },
      0,
    );

  before(async function () {
    issuer = await createTestIssuer();
    jwks = await startJwksServer(issuer.jwks.keys);
  });
  after(async function () {
    await jwks?.close();
  });
  beforeEach(async function () {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'inventory-service-'));
    bus = createEmbeddedBus({ logger: silentLogger });
  });
  afterEach(async function () {
    await running?.stop();
    running = undefined;
    await bus.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when started from the environment, then it is ready, documents its routes and accepts tokens from the configured issuer', async function () {
    running = await start();

    const ready = await call(running.url, 'GET', '/ready');
    const openApi = await call(running.url, 'GET', '/openapi.json');
    const admin = client(running.url, await issuer.token({ subject: 'a1', roles: ['admin'] }));
    const created = await admin.post('/api/v1/inventory', {
      product_id: newProductId(),
      available_quantity: 50,
    });

    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ database: 'ok', 'event bus': 'ok' });
    expect(Object.keys(openApi.body.paths)).to.include.members([
      '/api/v1/inventory/reserve',
      '/api/v1/inventory/{product_id}',
      '/api/v1/inventory/{product_id}/check',
    ]);
    expect(created.status).to.equal(201);
    expect(created.body.reorder_threshold).to.equal(5);
  });

  it('when restarted on the same data directory, then its records are still there', async function () {
    running = await start();
    const admin = () => client((running as RunningService).url, adminToken);
    const adminToken = await issuer.token({ subject: 'a1', roles: ['admin'] });
    const productId = newProductId();
    await admin().post('/api/v1/inventory', { product_id: productId, available_quantity: 12 });
    await running.stop();

    running = await start();

    expect((await admin().get(`/api/v1/inventory/${productId}`)).body).to.include({ available_quantity: 12 });
  });

  it('when a variable is malformed, then start fails naming it', async function () {
    let error: unknown;
    try {
      running = await start({ RESERVATION_TTL_SEC: 'soon', RESERVATION_SWEEP_INTERVAL_MS: '5' });
    } catch (thrown) {
      error = thrown;
    }

    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n'))
      .to.match(/RESERVATION_TTL_SEC/)
      .and.to.match(/RESERVATION_SWEEP_INTERVAL_MS/);
  });
});
