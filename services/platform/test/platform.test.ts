import { expect } from 'chai';
import { eventually } from '@cartwheel/testing';
import { startInProcessPlatform, type InProcessPlatform } from './support/in-process-platform.js';

/** Every registered service, as `make start` runs them, on free ports; driven only through the gateway. */
describe('make start platform', function () {
  this.timeout(120_000);
  let shop: InProcessPlatform;
  let base: string;

  before(async () => {
    shop = await startInProcessPlatform();
    base = shop.base;
  });

  after(async () => {
    await shop?.stop();
  });

  const call = (
    method: string,
    route: string,
    options: { token?: string; json?: unknown; form?: string } = {},
  ) =>
    fetch(`${base}${route}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json ? { 'content-type': 'application/json' } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: options.json ? JSON.stringify(options.json) : options.form,
    });

  const login = async (email: string, password: string): Promise<string> => {
    const response = await call('POST', '/api/v1/auth/login', {
      form: `username=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`,
    });
    expect(response.status, `login of ${email}`).to.equal(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  it('when a shopper and the admin walk seed steps 1–4 through the gateway, then each route reaches its service', async () => {
    const registered = await call('POST', '/api/v1/auth/register', {
      json: {
        email: 'customer@example.com',
        password: 'Password123',
        first_name: 'Example',
        last_name: 'Customer',
        phone: '555-123-4567',
      },
    });
    expect(registered.status).to.equal(201);
    const token = await login('customer@example.com', 'Password123');
    const me = (await (await call('GET', '/api/v1/users/me', { token })).json()) as Record<string, unknown>;
    expect(me).to.include({ email: 'customer@example.com', role: 'user', is_active: true });

    const jwks = (await (await call('GET', '/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.length).to.be.greaterThan(0);

    const admin = await login('admin@example.com', 'AdminPass123');
    const created = await call('POST', '/api/v1/products/', {
      token: admin,
      json: {
        name: 'Premium Smartphone',
        description: 'Latest model with high-end camera and long battery life',
        category: 'Electronics',
        price: 899.99,
        quantity: 50,
      },
    });
    expect(created.status).to.equal(201);
    const product = (await created.json()) as { _id: string; price: number };
    expect(product.price).to.equal(899.99);
    expect((await call('POST', '/api/v1/products/', { token, json: { name: 'x' } })).status).to.equal(403);

    const listed = await call('GET', '/api/v1/products/?category=electronics');
    expect(listed.headers.get('x-total-count')).to.equal('1');
    expect(listed.headers.get('ratelimit-limit')).to.equal('60');
    expect(((await listed.json()) as { _id: string }[]).map((p) => p._id)).to.deep.equal([product._id]);

    let stock: Record<string, unknown> = {};
    await eventually('inventory created from product.created', async () => {
      const response = await call('GET', `/api/v1/inventory/${product._id}`, { token });
      if (response.status !== 200) return false;
      stock = (await response.json()) as Record<string, unknown>;
      return true;
    });
    expect(stock).to.include({
      product_id: product._id,
      available_quantity: 50,
      reserved_quantity: 0,
      reorder_threshold: 5,
    });
  });

  it('when a shopper orders two products and cancels, then the total is exact and the stock comes back', async () => {
    const admin = await login('admin@example.com', 'AdminPass123');
    const create = async (name: string, price: number, quantity: number) => {
      const response = await call('POST', '/api/v1/products/', {
        token: admin,
        json: { name, description: `${name} for the order step`, category: 'Audio', price, quantity },
      });
      expect(response.status, name).to.equal(201);
      return ((await response.json()) as { _id: string })._id;
    };
    const headphones = await create('Wireless Headphones', 249.99, 100);
    const speaker = await create('Smart Speaker', 179.99, 30);
    await call('POST', '/api/v1/auth/register', {
      json: {
        email: 'orders@example.com',
        password: 'Password123',
        first_name: 'Order',
        last_name: 'Shopper',
      },
    });
    const token = await login('orders@example.com', 'Password123');

    let placed: Response | undefined;
    await eventually('both products stocked, so the order reserves', async () => {
      placed = await call('POST', '/api/v1/orders/', {
        token,
        json: {
          items: [
            { product_id: headphones, quantity: 1 },
            { product_id: speaker, quantity: 2 },
          ],
          shipping_address: {
            line1: '123 Example Street',
            city: 'Example City',
            postal_code: '12345',
            country: 'EX',
          },
        },
      });
      // 409 while inventory has not yet consumed product.created; anything else is a failure.
      if (placed.status !== 409) expect(placed.status, await placed.clone().text()).to.equal(201);
      return placed.status === 201;
    });
    const order = (await placed!.json()) as { _id: string; total_price: number; status: string };
    expect(order).to.include({ total_price: 609.97, status: 'pending' });
    const stockOf = async (id: string) => {
      const stock = (await (await call('GET', `/api/v1/inventory/${id}`, { token: admin })).json()) as {
        available_quantity: number;
        reserved_quantity: number;
      };
      return [stock.available_quantity, stock.reserved_quantity];
    };
    expect(await stockOf(speaker)).to.deep.equal([28, 2]);

    expect((await call('DELETE', `/api/v1/orders/${order._id}`, { token })).status).to.equal(204);
    const cancelled = (await (await call('GET', `/api/v1/orders/${order._id}`, { token })).json()) as {
      status: string;
    };
    expect(cancelled.status).to.equal('cancelled');
    expect(await stockOf(speaker)).to.deep.equal([30, 0]);
    expect(await stockOf(headphones)).to.deep.equal([100, 0]);
  });

  it('when a protected route is called anonymously, then the gateway answers 401 before any service', async () => {
    const response = await call('GET', '/api/v1/users/me');
    expect(response.status).to.equal(401);
    expect(response.headers.get('content-type')).to.include('application/problem+json');
  });

  it('when the merged API document is fetched, then it holds every running service’s routes', async () => {
    const document = (await (await call('GET', '/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    for (const route of [
      '/api/v1/auth/register',
      '/api/v1/products',
      '/api/v1/inventory/reserve',
      '/api/v1/orders',
    ]) {
      expect(Object.keys(document.paths), route).to.include(route);
    }
  });
});
