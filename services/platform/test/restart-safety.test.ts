import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase, type Knex } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { launchPlatform, type PlatformProcess } from './support/platform-process.js';

const ADMIN = { username: 'admin@example.com', password: 'AdminPass123' };
const SHOPPER = {
  email: 'restart@example.com',
  password: 'Password123',
  first_name: 'Re',
  last_name: 'Start',
};
const ADDRESS = { line1: '1 Restart Road', city: 'Example City', postal_code: '12345', country: 'EX' };
const STOCK = 500;

async function json(base: string, method: string, route: string, token?: string, body?: unknown) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const login = async (base: string, username: string, password: string): Promise<string> => {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
};

describe('restart safety: SIGTERM in the middle of a stream of orders, then start again', function () {
  this.timeout(240_000);
  let dataDir: string;
  let platform: PlatformProcess | undefined;
  const env = () => ({
    CARTWHEEL_DATA_DIR: dataDir,
    CARTWHEEL_DEMO_DATA: 'false',
    CARTWHEEL_ADMIN_EMAIL: ADMIN.username,
    CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
    // This is about restarts, not limits: the stream must not meet the per-user 60/min.
    RATE_LIMIT_PER_MINUTE: '100000',
  });

  before(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-restart-'));
  });
  after(async () => {
    await platform?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the platform stops mid-stream and starts again, then every acknowledged order exists with its stock reserved and its event applied once, and nothing else changed', async () => {
    platform = await launchPlatform(env());
    let base = platform.gateway;
    const admin = await login(base, ADMIN.username, ADMIN.password);
    const created = await json(base, 'POST', '/api/v1/products', admin, {
      name: 'Restart Kettle',
      description: 'Boils through restarts',
      category: 'Kitchen',
      price: 19.99,
      quantity: STOCK,
    });
    const productId: string = created.body._id;
    expect((await json(base, 'POST', '/api/v1/auth/register', undefined, SHOPPER)).status).to.equal(201);
    const token = await login(base, SHOPPER.email, SHOPPER.password);
    await eventually('inventory record from product.created', async () => {
      return (await json(base, 'GET', `/api/v1/inventory/${productId}`, token)).status === 200;
    });

    // Eight clients place one-unit orders back to back until the gateway stops answering.
    const acknowledged: string[] = [];
    const refused: number[] = [];
    let stopping = false;
    const client = async () => {
      while (!stopping || acknowledged.length === 0) {
        try {
          const reply = await json(base, 'POST', '/api/v1/orders', token, {
            items: [{ product_id: productId, quantity: 1 }],
            shipping_address: ADDRESS,
          });
          if (reply.status === 201) acknowledged.push(reply.body._id);
          else refused.push(reply.status);
        } catch {
          if (stopping) return; // the connection went away with the process
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await eventually('some orders placed before the stop', async () => acknowledged.length >= 20);
    stopping = true;
    const exitCode = await platform.stop('SIGTERM');
    await Promise.all(clients);
    expect(exitCode, platform.output()).to.equal(0);
    // While draining, the platform may refuse with 503; it never answers 5xx otherwise.
    expect(refused.filter((status) => status !== 503)).to.deep.equal([]);

    platform = await launchPlatform(env());
    base = platform.gateway;
    const everyOrder = await json(base, 'GET', '/api/v1/orders?limit=100', token);
    const total = Number(everyOrder.headers.get('x-total-count'));
    const ids = new Set<string>();
    for (let offset = 0; offset < total; offset += 100) {
      const page = await json(base, 'GET', `/api/v1/orders?limit=100&offset=${offset}`, token);
      for (const order of page.body as { _id: string; status: string }[]) {
        expect(order.status).to.equal('pending');
        ids.add(order._id);
      }
    }
    for (const id of acknowledged) expect(ids.has(id), `acknowledged order ${id} exists`).to.equal(true);
    // An order in flight at the stop either completed entirely or left nothing (never half).
    expect(total - acknowledged.length).to.be.within(0, 8);

    await eventually('every order.placed applied by inventory', async () => {
      const stock = await json(base, 'GET', `/api/v1/inventory/${productId}`, token);
      return stock.body.reserved_quantity === total && stock.body.available_quantity === STOCK - total;
    });
    expect(await platform.stop('SIGTERM')).to.equal(0);
    platform = undefined;

    // The stores themselves, after a clean stop: each order's event applied exactly once.
    const orderDb: Knex = createDatabase({ dataDir: path.join(dataDir, 'order', 'postgres') });
    const inventoryDb: Knex = createDatabase({ dataDir: path.join(dataDir, 'inventory', 'postgres') });
    try {
      const placed = await orderDb('outbox')
        .whereRaw("event->>'type' = 'order.placed'")
        .select(orderDb.raw("event->>'id' as id"), 'published_at');
      expect(placed).to.have.length(total);
      expect(placed.every((row: { published_at: unknown }) => row.published_at !== null)).to.equal(true);
      const applied = await inventoryDb('processed_events')
        .whereIn(
          'event_id',
          placed.map((row: { id: string }) => row.id),
        )
        .select('event_id');
      expect(applied).to.have.length(total);
      const reservations = await inventoryDb('reservations')
        .where({ product_id: productId })
        .select('order_id', 'quantity', 'state', 'confirmed_at');
      expect(reservations).to.have.length(total);
      expect(new Set(reservations.map((r: { order_id: string }) => r.order_id))).to.deep.equal(ids);
      for (const reservation of reservations) {
        expect(reservation).to.include({ quantity: 1, state: 'reserved' });
        expect(reservation.confirmed_at, `reservation of ${reservation.order_id} confirmed`).not.to.equal(
          null,
        );
      }
    } finally {
      await Promise.all([orderDb.destroy(), inventoryDb.destroy()]);
    }
  });
});
