import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { service as inventory } from '@cartwheel/inventory';
import {
  ConfigError,
  createLogger,
  startPlatform as startServices,
  type RunningPlatform,
} from '@cartwheel/kit';
import { service as product } from '@cartwheel/product';
import { eventually } from '@cartwheel/testing';
import { service as user } from '@cartwheel/user';
import { expect } from 'chai';
import { service as order } from '../src/index.js';
import { httpClient } from './support/http.js';
import { SEED_ADDRESS } from './support/fixtures.js';

const logger = createLogger({ level: 'silent' });
const ADMIN = { email: 'admin@embedded.example', password: 'Admin-Password-1' };

describe('the order ServiceDefinition', function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'order-service-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    CARTWHEEL_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...extra,
  });

  it('when SERVICE_CLIENT_SECRET and a URL are bad, then start fails naming both variables', async () => {
    const runtime = {
      mode: 'embedded',
      dataDir,
      bus: undefined as never,
      logger,
      env: env({ PRODUCT_URL: 'nope' }),
    } as const;
    try {
      await order.start(runtime, 0);
      expect.fail('expected a configuration error');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).to.contain('SERVICE_CLIENT_SECRET');
      expect(problems).to.contain('PRODUCT_URL');
    }
  });

  describe('with user, product and inventory in embedded mode (PGlite, in-process bus), as `make start` runs them', () => {
    let platform: RunningPlatform;
    let platformDir: string;

    before(async () => {
      platformDir = await mkdtemp(path.join(os.tmpdir(), 'order-platform-'));
      platform = await startServices({
        services: [user, product, inventory, order],
        env: {
          CARTWHEEL_DATA_DIR: platformDir,
          CARTWHEEL_DEMO_DATA: 'false',
          CARTWHEEL_ADMIN_EMAIL: ADMIN.email,
          CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
          LOG_LEVEL: 'silent',
          USER_PORT: '0',
          PRODUCT_PORT: '0',
          INVENTORY_PORT: '0',
          ORDER_PORT: '0',
        },
        logger,
      });
    });
    after(async () => {
      await platform?.stop();
      await rm(platformDir, { recursive: true, force: true });
    });

    it('when a shopper orders without an address, then the order is placed with their default address and stock is reserved', async () => {
      const [users, products, stock, orders] = platform.services.map((s) => httpClient(s.url));
      const admin = (await users('POST', '/api/v1/auth/login', { body: ADMIN })).body.access_token;
      const created = await products('POST', '/api/v1/products', {
        token: admin,
        body: { name: 'Tent', description: 'Two people', category: 'Outdoor', price: 149.5, quantity: 4 },
      });
      expect(created.status).to.equal(201);
      const productId = created.body._id;
      await eventually('stock from product.created', async () => {
        return (await stock('GET', `/api/v1/inventory/${productId}`, { token: admin })).status === 200;
      });
      const account = { email: 'camper@example.com', password: 'Password123' };
      await users('POST', '/api/v1/auth/register', { body: { ...account, first_name: 'A', last_name: 'B' } });
      const shopper = (await users('POST', '/api/v1/auth/login', { body: account })).body.access_token;
      await users('POST', '/api/v1/users/me/addresses', {
        token: shopper,
        body: { ...SEED_ADDRESS, is_default: true },
      });

      const placed = await orders('POST', '/api/v1/orders/', {
        token: shopper,
        body: { items: [{ product_id: productId, quantity: 2 }] },
      });

      expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
      expect(placed.body).to.deep.include({
        total_price: 299,
        shipping_address: SEED_ADDRESS,
        status: 'pending',
      });
      const level = await stock('GET', `/api/v1/inventory/${productId}`, { token: admin });
      expect([level.body.available_quantity, level.body.reserved_quantity]).to.deep.equal([2, 2]);
      const ready = await orders('GET', '/ready');
      expect(ready.status).to.equal(200);
      expect(ready.body.checks).to.deep.equal({ database: 'ok', 'event bus': 'ok' });
      const openapi = await orders('GET', '/openapi.json');
      expect(Object.keys(openapi.body.paths)).to.include.members([
        '/api/v1/orders',
        '/api/v1/orders/{id}',
        '/api/v1/orders/{id}/status',
        '/api/v1/orders/{id}/cancel',
      ]);
    });
  });
});
