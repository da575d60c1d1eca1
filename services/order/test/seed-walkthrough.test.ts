import { expect } from 'chai';
import { SEED_PRODUCTS } from '@cartwheel/testing';
import { createProduct, levels, registeredShopper, SEED_ADDRESS, type Shopper } from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

// One walkthrough: each step uses what the steps before it made, as the seed's curl session does.
describe('seed 000 steps 5.1–6.5 through the real user, product, inventory and order services', function () {
  this.timeout(60_000);
  let platform: Platform;
  let shopper: Shopper;
  let userId: string;
  let productIds: string[];
  let first: Record<string, unknown>;
  let second: Record<string, unknown>;

  before(async () => {
    platform = await startPlatform();
    shopper = await registeredShopper(platform, { address: true });
    productIds = [];
    for (const product of SEED_PRODUCTS) productIds.push(await createProduct(platform, product));
  });
  after(() => platform?.stop());

  it('5.1: when the shopper reads /users/me, then the user id is there to send with orders', async () => {
    const me = await platform.call.users('GET', '/api/v1/users/me', { token: shopper.token });
    expect(me.status).to.equal(200);
    userId = String(me.body.id);
    expect(me.body.addresses[0]).to.include({ ...SEED_ADDRESS, is_default: true });
  });

  it('5.2: when the shopper orders one smartphone with the seed body, then 201 pending with total 899.99', async () => {
    const reply = await platform.call.orders('POST', '/api/v1/orders/', {
      token: shopper.token,
      body: {
        user_id: userId,
        items: [{ product_id: productIds[0], quantity: 1, price: 899.99 }],
        shipping_address: SEED_ADDRESS,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    first = reply.body;
    expect(first._id).to.match(/^[0-9a-f-]{36}$/);
    expect(reply.headers.get('location')).to.equal(`/api/v1/orders/${first._id}`);
    expect(first).to.deep.include({
      user_id: Number(userId),
      items: [{ product_id: productIds[0], name: 'Premium Smartphone', quantity: 1, price: 899.99 }],
      total_price: 899.99,
      currency: 'USD',
      status: 'pending',
      shipping_address: SEED_ADDRESS,
    });
    expect(first.updated_at).to.equal(first.created_at);
    expect(new Date(first.created_at as string).toISOString()).to.equal(first.created_at);
  });

  it('5.3: when the shopper orders headphones and two watches, then the total is exactly 609.97', async () => {
    const reply = await platform.call.orders('POST', '/api/v1/orders/', {
      token: shopper.token,
      body: {
        user_id: userId,
        items: [
          { product_id: productIds[1], quantity: 1, price: 249.99 },
          { product_id: productIds[2], quantity: 2, price: 179.99 },
        ],
        shipping_address: SEED_ADDRESS,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    second = reply.body;
    expect(second.total_price).to.equal(609.97);
    expect(second.items).to.deep.equal([
      { product_id: productIds[1], name: 'Wireless Noise-Cancelling Headphones', quantity: 1, price: 249.99 },
      { product_id: productIds[2], name: 'Smart Fitness Watch', quantity: 2, price: 179.99 },
    ]);
  });

  it('6.1: when the shopper reads the first order, then it is exactly what placing it answered', async () => {
    const reply = await platform.call.orders('GET', `/api/v1/orders/${first._id}`, { token: shopper.token });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal(first);
  });

  it('6.2: when the shopper lists their orders, then both come newest first with X-Total-Count 2', async () => {
    const reply = await platform.call.orders('GET', '/api/v1/orders/', { token: shopper.token });
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('x-total-count')).to.equal('2');
    expect(reply.body).to.deep.equal([second, first]);
  });

  it('6.3: when the shopper marks the first order paid, then it answers status paid and a later updated_at', async () => {
    const reply = await platform.call.orders('PUT', `/api/v1/orders/${first._id}/status`, {
      token: shopper.token,
      body: { status: 'paid' },
    });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    expect(reply.body).to.deep.include({ _id: first._id, status: 'paid', total_price: 899.99 });
    expect(reply.body.created_at).to.equal(first.created_at);
    expect(Date.parse(reply.body.updated_at)).to.be.at.least(Date.parse(first.updated_at as string));
  });

  it('6.4: when the shopper deletes the second order, then 204 without a body, and it reads as cancelled', async () => {
    const deleted = await platform.call.orders('DELETE', `/api/v1/orders/${second._id}`, {
      token: shopper.token,
    });
    expect(deleted.status).to.equal(204);
    expect(deleted.body).to.equal(undefined);
    const reply = await platform.call.orders('GET', `/api/v1/orders/${second._id}`, { token: shopper.token });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.include({ status: 'cancelled', total_price: 609.97 });
  });

  it('6.5: then inventory shows 49/1 for the smartphone and 100/0 for the headphones (75/0 for the watch)', async () => {
    expect(await levels(platform, productIds[0])).to.deep.equal([49, 1]);
    expect(await levels(platform, productIds[1])).to.deep.equal([100, 0]);
    expect(await levels(platform, productIds[2])).to.deep.equal([75, 0]);
  });
});
