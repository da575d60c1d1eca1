import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  createDatabase,
  eventually,
  httpCall,
  SEED_PRODUCTS,
  testServers,
  uniqueName,
  type CallOptions,
  type Reply,
} from '@cartwheel/testing';
import { launchPlatform, type PlatformProcess } from './support/platform-process.js';

/** Plain HTTP against the gateway, as curl would: JSON or form bodies, a bearer token. */
function gatewayClient(base: string) {
  return (method: string, route: string, options: CallOptions = {}): Promise<Reply> =>
    httpCall(base, method, route, options);
}

const ADMIN = { email: 'admin@example.com', password: 'AdminPass123' };
const CUSTOMER = {
  email: 'customer@example.com',
  password: 'Password123',
  first_name: 'Example',
  last_name: 'Customer',
  phone: '555-123-4567',
};
const ADDRESS = {
  line1: '123 Example Street',
  line2: 'Apt 4B',
  city: 'Example City',
  state: 'EX',
  postal_code: '12345',
  country: 'Example Country',
};

/** The environment of connected mode: every store a real server, each service on its own database. */
async function connectedEnv(): Promise<NodeJS.ProcessEnv> {
  const servers = testServers();
  const mongo = new URL(servers.mongoUrl);
  mongo.pathname = `/${uniqueName('acceptance')}`;
  return {
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    USER_DATABASE_URL: await createDatabase('acceptance_user'),
    INVENTORY_DATABASE_URL: await createDatabase('acceptance_inventory'),
    ORDER_DATABASE_URL: await createDatabase('acceptance_order'),
    MONGO_URL: mongo.toString(),
    REDIS_URL: servers.redisUrl,
  };
}

for (const mode of ['embedded', 'connected'] as const) {
  // One walkthrough per mode: each step uses what the steps before it made, as the seed's curl session does.
  describe(`acceptance, ${mode} mode: the seed 000 walkthrough through the gateway of \`make start\``, function () {
    this.timeout(180_000);
    let platform: PlatformProcess;
    let dataDir: string;
    let call: ReturnType<typeof gatewayClient>;
    let token: string;
    let admin: string;
    let userId: number;
    const productIds: string[] = [];
    const orderIds: string[] = [];

    before(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), `cartwheel-acceptance-${mode}-`));
      platform = await launchPlatform({
        CARTWHEEL_DATA_DIR: dataDir,
        CARTWHEEL_DEMO_DATA: 'false',
        CARTWHEEL_ADMIN_EMAIL: ADMIN.email,
        CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
        ...(mode === 'connected' ? await connectedEnv() : {}),
      });
      call = gatewayClient(platform.gateway);
    });

    after(async () => {
      if (!platform) return; // it never started: `before` already failed with its output
      const code = await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
      expect(code, `graceful stop:\n${platform.output()}`).to.equal(0);
    });

    it('1.1–1.3: when the customer registers and logs in with the seed’s form body, then /users/me is them', async () => {
      const registered = await call('POST', '/api/v1/auth/register', { json: CUSTOMER });
      expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
      expect(registered.body).to.deep.include({
        email: CUSTOMER.email,
        first_name: 'Example',
        last_name: 'Customer',
        phone: '555-123-4567',
        is_active: true,
        addresses: [],
      });
      expect(registered.body).not.to.have.any.keys('password', 'password_hash', 'hashed_password');

      const login = await call('POST', '/api/v1/auth/login', {
        form: { username: CUSTOMER.email, password: CUSTOMER.password },
      });
      expect(login.status).to.equal(200);
      expect(login.body.token_type).to.equal('bearer');
      token = login.body.access_token;

      const me = await call('GET', '/api/v1/users/me', { token });
      expect(me.body).to.include({ id: registered.body.id, email: CUSTOMER.email });
      userId = me.body.id;
    });

    it('2: when the customer adds the seed’s address, then it is their default address', async () => {
      const added = await call('POST', '/api/v1/users/me/addresses', {
        token,
        json: { ...ADDRESS, is_default: true },
      });
      expect(added.status).to.equal(201);
      expect(added.body).to.include({ ...ADDRESS, is_default: true });
    });

    it('3.1–3.3: when the admin creates the seed’s three products, then each has an id and the seed’s fields; the customer gets 403', async () => {
      admin = (
        await call('POST', '/api/v1/auth/login', {
          form: { username: ADMIN.email, password: ADMIN.password },
        })
      ).body.access_token;
      expect((await call('POST', '/api/v1/products/', { token, json: SEED_PRODUCTS[0] })).status).to.equal(
        403,
      );
      for (const product of SEED_PRODUCTS) {
        const created = await call('POST', '/api/v1/products/', { token: admin, json: product });
        expect(created.status, JSON.stringify(created.body)).to.equal(201);
        expect(created.body).to.include(product);
        productIds.push(created.body._id);
      }
    });

    it('4.1–4.4: when the catalog is listed and filtered, then category and price range pick the seed’s products', async () => {
      const all = await call('GET', '/api/v1/products/');
      expect(all.headers.get('x-total-count')).to.equal('3');
      expect(all.body.map((p: { _id: string }) => p._id)).to.have.members(productIds);

      await eventually('4.2: inventory created from product.created', async () => {
        const records = await Promise.all(
          productIds.map((id) => call('GET', `/api/v1/inventory/${id}`, { token })),
        );
        return records.every((r) => r.status === 200);
      });
      const stock = await Promise.all(
        productIds.map((id) => call('GET', `/api/v1/inventory/${id}`, { token })),
      );
      expect(
        stock.map((s) => [s.body.available_quantity, s.body.reserved_quantity, s.body.reorder_threshold]),
      ).to.deep.equal([
        [50, 0, 5],
        [100, 0, 10],
        [75, 0, 7],
      ]);

      const electronics = await call('GET', '/api/v1/products/?category=Electronics');
      expect(electronics.body.map((p: { name: string }) => p.name)).to.deep.equal(['Premium Smartphone']);
      const midRange = await call('GET', '/api/v1/products/?min_price=100&max_price=300');
      expect(midRange.body.map((p: { name: string }) => p.name)).to.have.members([
        'Wireless Noise-Cancelling Headphones',
        'Smart Fitness Watch',
      ]);
    });

    it('5.1–5.3: when the customer places the seed’s two orders, then the totals are exactly 899.99 and 609.97', async () => {
      const first = await call('POST', '/api/v1/orders/', {
        token,
        json: {
          user_id: String(userId),
          items: [{ product_id: productIds[0], quantity: 1, price: 899.99 }],
          shipping_address: ADDRESS,
        },
      });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body).to.deep.include({
        user_id: userId,
        total_price: 899.99,
        status: 'pending',
        shipping_address: ADDRESS,
      });
      const second = await call('POST', '/api/v1/orders/', {
        token,
        json: {
          user_id: String(userId),
          items: [
            { product_id: productIds[1], quantity: 1, price: 249.99 },
            { product_id: productIds[2], quantity: 2, price: 179.99 },
          ],
          shipping_address: ADDRESS,
        },
      });
      expect(second.status, JSON.stringify(second.body)).to.equal(201);
      expect(second.body.total_price).to.equal(609.97);
      expect(
        second.body.items.map((i: { quantity: number; price: number }) => [i.quantity, i.price]),
      ).to.deep.equal([
        [1, 249.99],
        [2, 179.99],
      ]);
      orderIds.push(first.body._id, second.body._id);
    });

    it('6.1–6.3: when the customer reads, lists and pays, then the orders come newest first and the first is paid', async () => {
      const one = await call('GET', `/api/v1/orders/${orderIds[0]}`, { token });
      expect(one.body).to.include({ _id: orderIds[0], total_price: 899.99, status: 'pending' });
      const list = await call('GET', '/api/v1/orders/', { token });
      expect(list.body.map((o: { _id: string }) => o._id)).to.deep.equal([orderIds[1], orderIds[0]]);
      const paid = await call('PUT', `/api/v1/orders/${orderIds[0]}/status`, {
        token,
        json: { status: 'paid' },
      });
      expect(paid.status).to.equal(200);
      expect(paid.body.status).to.equal('paid');
    });

    it('6.4–6.5: when the customer cancels the second order, then 204, status cancelled, and inventory reads 49/1 and 100/0', async () => {
      const cancelled = await call('DELETE', `/api/v1/orders/${orderIds[1]}`, { token });
      expect(cancelled.status).to.equal(204);
      expect(cancelled.body).to.equal('');
      const after = await call('GET', `/api/v1/orders/${orderIds[1]}`, { token });
      expect(after.body).to.include({ status: 'cancelled', total_price: 609.97 });

      const levels = async () =>
        (await Promise.all(productIds.map((id) => call('GET', `/api/v1/inventory/${id}`, { token })))).map(
          (r) => [r.body.available_quantity, r.body.reserved_quantity],
        );
      expect(await levels()).to.deep.equal([
        [49, 1],
        [100, 0],
        [75, 0],
      ]);
    });

    it('seed 003: when the customer searches, checks stock and orders, and the admin restocks, then each answer is the live state with rate-limit headers', async () => {
      const search = await call('GET', '/api/v1/products/search?q=noise%20cancel');
      expect(search.body.map((p: { _id: string }) => p._id)).to.deep.equal([productIds[1]]);

      const check = await call('GET', `/api/v1/inventory/${productIds[0]}/check?quantity=49`, { token });
      expect(check.body).to.include({ available: true, available_quantity: 49 });
      const tooMany = await call('GET', `/api/v1/inventory/${productIds[0]}/check?quantity=50`, { token });
      expect(tooMany.body.available).to.equal(false);

      const restocked = await call('PATCH', `/api/v1/inventory/${productIds[0]}/restock`, {
        token: admin,
        json: { quantity: 10 },
      });
      expect(restocked.status, JSON.stringify(restocked.body)).to.equal(200);
      expect(restocked.body.available_quantity).to.equal(59);

      const ordered = await call('POST', '/api/v1/orders', {
        token,
        json: { items: [{ product_id: productIds[0], quantity: 2 }] },
      });
      expect(ordered.status, JSON.stringify(ordered.body)).to.equal(201);
      expect(ordered.body.shipping_address).to.include(ADDRESS);
      expect(ordered.body.total_price).to.equal(1799.98);
      expect(ordered.headers.get('ratelimit-limit')).to.equal('60');
      expect(Number(ordered.headers.get('ratelimit-remaining'))).to.be.within(0, 59);
      expect(Number(ordered.headers.get('ratelimit-reset'))).to.be.within(0, 60);
    });

    it('seed 003: when the orders were placed, then the customer’s confirmation emails are written with their totals', async () => {
      const mailDir = path.join(dataDir, 'mail');
      const confirmations = () => {
        let names: string[];
        try {
          names = readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
        } catch {
          return []; // no mail folder before the first email
        }
        return names
          .map((name) => readFileSync(path.join(mailDir, name), 'utf8'))
          .filter(
            (mail) =>
              /^To: .*customer@example\.com/im.test(mail) && /^Subject: .*order .* is confirmed/im.test(mail),
          )
          .filter((mail) => orderIds.some((id) => mail.toLowerCase().includes(id.slice(0, 8))));
      };
      await eventually('order confirmations in the mail folder', async () => confirmations().length >= 2);
      const text = confirmations().join('\n');
      expect(text).to.include('609.97');
      expect(text).to.include('899.99');
    });

    it('seed 003: when the customer asks the assistant without a provider key, then fallback answers name real catalog products', async () => {
      const chat = await call('POST', '/api/v1/ai/chat', {
        token,
        json: { message: 'I need wireless headphones under 300' },
      });
      expect(chat.status, JSON.stringify(chat.body)).to.equal(200);
      expect(chat.body.source).to.equal('fallback');
      expect(chat.body.products.map((p: { _id?: string; id?: string }) => p._id ?? p.id)).to.deep.equal([
        productIds[1],
      ]);
      expect(chat.headers.get('ratelimit-limit')).to.equal('15');

      const suggest = await call('POST', '/api/v1/ai/suggest', {
        token,
        json: { query: 'wireless headphones under 300' },
      });
      expect(suggest.body.filters).to.include({ max_price: 300 });
      expect(suggest.body.products.map((p: { name: string }) => p.name)).to.deep.equal([
        'Wireless Noise-Cancelling Headphones',
      ]);

      const related = await call('GET', `/api/v1/ai/recommendations?product_id=${productIds[1]}&limit=5`, {
        token,
      });
      const names = related.body.products.map((p: { name: string }) => p.name);
      expect(names).not.to.include('Wireless Noise-Cancelling Headphones');
      expect(related.body.source).to.equal('fallback');
    });
  });
}
