// The "done when": with the platform's services started as `make start` runs them
// (embedded: PGlite, in-process bus, no SMTP_URL, the ai service without a key), a shopper who
// registers and places an order finds the welcome, the order confirmation and the AI follow-up
// under <data dir>/mail as .eml files.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { service as ai } from '@cartwheel/ai';
import { service as inventory } from '@cartwheel/inventory';
import { createLogger, startPlatform, type RunningPlatform } from '@cartwheel/kit';
import { service as order } from '@cartwheel/order';
import { service as product } from '@cartwheel/product';
import { eventually } from '@cartwheel/testing';
import { service as user } from '@cartwheel/user';
import { expect } from 'chai';
import PostalMime, { type Email } from 'postal-mime';
import { service as notification } from '../src/index.js';
import { SEED_ADDRESS } from './domain/builders.js';

const ADMIN = { email: 'admin@embedded.example', password: 'Admin-Password-1' };
const SHOPPER = { email: 'customer@example.com', password: 'Password123' };

async function call(base: string, method: string, route: string, body?: unknown, token?: string) {
  const response = await fetch(new URL(route, base), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('notification in the embedded platform, as `make start` runs it', function () {
  this.timeout(120_000);
  let dataDir: string;
  let platform: RunningPlatform;
  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'notification-platform-'));
    platform = await startPlatform({
      services: [user, product, inventory, order, ai, notification],
      env: {
        CARTWHEEL_DATA_DIR: dataDir,
        CARTWHEEL_DEMO_DATA: 'false',
        CARTWHEEL_ADMIN_EMAIL: ADMIN.email,
        CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'silent',
        USER_PORT: '0',
        PRODUCT_PORT: '0',
        INVENTORY_PORT: '0',
        ORDER_PORT: '0',
        AI_PORT: '0',
        NOTIFICATION_PORT: '0',
      },
      logger: createLogger({ level: 'silent' }),
    });
  });
  after(async function () {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The .eml files of one email type, parsed. */
  const mails = async (type: string): Promise<Email[]> => {
    const dir = path.join(dataDir, 'mail');
    return Promise.all(
      readdirSync(dir)
        .filter((file) => file.endsWith('.eml') && file.includes(`-${type}-`))
        .map((file) => PostalMime.parse(readFileSync(path.join(dir, file)))),
    );
  };

  it('when a shopper registers and places an order, then the welcome, the confirmation and the AI follow-up are in <data dir>/mail', async function () {
    const [users, products, stock, orders] = platform.services.map((s) => s.url);
    const admin = (await call(users, 'POST', '/api/v1/auth/login', ADMIN)).body.access_token;
    const created = await call(
      products,
      'POST',
      '/api/v1/products',
      {
        name: 'Smart Fitness Watch',
        description: 'Waterproof',
        category: 'Wearables',
        price: 179.99,
        quantity: 75,
      },
      admin,
    );
    expect(created.status).to.equal(201);
    await eventually(
      'stock from product.created',
      async () =>
        (await call(stock, 'GET', `/api/v1/inventory/${created.body._id}`, undefined, admin)).status === 200,
    );
    expect(
      (
        await call(users, 'POST', '/api/v1/auth/register', {
          ...SHOPPER,
          first_name: 'Example',
          last_name: 'Customer',
        })
      ).status,
    ).to.equal(201);
    const shopper = (await call(users, 'POST', '/api/v1/auth/login', SHOPPER)).body.access_token;

    const placed = await call(
      orders,
      'POST',
      '/api/v1/orders/',
      { items: [{ product_id: created.body._id, quantity: 2 }], shipping_address: SEED_ADDRESS },
      shopper,
    );
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);

    await eventually('the confirmation .eml', async () => (await mails('order_confirmation')).length === 1);
    const [confirmation] = await mails('order_confirmation');
    expect(confirmation.to?.map((a) => a.address)).to.deep.equal(['customer@example.com']);
    expect(confirmation.subject).to.equal(
      `Your Cartwheel order #${placed.body._id.slice(0, 8).toUpperCase()} is confirmed ($359.98)`,
    );
    expect(confirmation.text).to.include('- Smart Fitness Watch: 2 × $179.99 = $359.98');
    expect(confirmation.text).to.include('123 Example Street');
    // The admin created at start is a user too: it has its own welcome.
    const welcomeTo = async (address: string) =>
      (await mails('welcome')).filter((m) => m.to?.some((to) => to.address === address));
    await eventually('the welcome .eml', async () => (await welcomeTo('customer@example.com')).length === 1);
    const [welcome] = await welcomeTo('customer@example.com');
    expect(welcome.subject).to.equal('Welcome to Cartwheel, Example!');
    await eventually('the AI follow-up .eml', async () => (await mails('ai_follow_up')).length === 1);
    const [followUp] = await mails('ai_follow_up');
    expect(followUp.messageId).to.equal(`<ai-notification-${placed.body._id}@cartwheel.local>`);
    expect(followUp.to?.map((a) => a.address)).to.deep.equal(['customer@example.com']);
    expect(followUp.html).to.include('CARTWHEEL').and.not.include('<script');
    expect(followUp.text).to.have.length.greaterThan(0);
  });

  it('when the shopper pays and then the admin ships, then one email each; a cancelled order gets one cancellation', async function () {
    const [users, products, stock, orders] = platform.services.map((s) => s.url);
    const admin = (await call(users, 'POST', '/api/v1/auth/login', ADMIN)).body.access_token;
    const shopper = (await call(users, 'POST', '/api/v1/auth/login', SHOPPER)).body.access_token;
    const created = await call(
      products,
      'POST',
      '/api/v1/products',
      { name: 'Tent', description: 'Two people', category: 'Outdoor', price: 149.5, quantity: 10 },
      admin,
    );
    await eventually(
      'stock from product.created',
      async () =>
        (await call(stock, 'GET', `/api/v1/inventory/${created.body._id}`, undefined, admin)).status === 200,
    );
    const place = () =>
      call(
        orders,
        'POST',
        '/api/v1/orders/',
        { items: [{ product_id: created.body._id, quantity: 1 }], shipping_address: SEED_ADDRESS },
        shopper,
      );
    const [kept, dropped] = [(await place()).body._id, (await place()).body._id];

    expect(
      (await call(orders, 'PUT', `/api/v1/orders/${kept}/status`, { status: 'paid' }, shopper)).status,
    ).to.equal(200);
    expect(
      (await call(orders, 'PUT', `/api/v1/orders/${kept}/status`, { status: 'shipped' }, admin)).status,
    ).to.equal(200);
    expect((await call(orders, 'DELETE', `/api/v1/orders/${dropped}`, undefined, shopper)).status).to.equal(
      204,
    );

    await eventually('the shipping email', async () => (await mails('order_shipped')).length === 1);
    await eventually('the cancellation email', async () => (await mails('order_cancelled')).length === 1);
    expect(await mails('order_paid')).to.have.length(1);
    expect((await mails('order_cancelled'))[0].text).to.include(dropped);
    expect((await mails('order_shipped'))[0].text).to.include(kept);
  });
});
