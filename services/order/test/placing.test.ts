import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  countOrders,
  createProduct,
  levels,
  mintedShopper,
  outboxEvents,
  registeredShopper,
  SEED_ADDRESS,
} from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

describe('placing orders through the real catalog and inventory', function () {
  this.timeout(60_000);
  let platform: Platform;

  before(async () => {
    platform = await startPlatform();
  });
  after(() => platform?.stop());

  const place = (token: string, body: unknown, headers?: Record<string, string>) =>
    platform.call.orders('POST', '/api/v1/orders', { token, body, headers });

  it('when 100 buyers ask for 2 units each of a stock of 50 at once, then exactly 25 orders and inventory 0/50', async () => {
    const productId = await createProduct(platform, { price: 19.99, quantity: 50 });
    const buyers = await Promise.all(Array.from({ length: 100 }, () => mintedShopper(platform)));
    const before = await countOrders(platform.orderDb);

    const replies = await Promise.all(
      buyers.map((buyer) =>
        place(buyer.token, {
          items: [{ product_id: productId, quantity: 2 }],
          shipping_address: SEED_ADDRESS,
        }),
      ),
    );

    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).to.have.length(25);
    expect(statuses.filter((status) => status === 409)).to.have.length(75);
    const refusal = replies.find((reply) => reply.status === 409);
    expect(refusal?.body.items).to.deep.equal([{ product_id: productId, requested: 2, available: 0 }]);
    expect(refusal?.body.errors[0].path).to.equal('items.0.quantity');
    expect(await countOrders(platform.orderDb)).to.equal(before + 25);
    expect(await levels(platform, productId)).to.deep.equal([0, 50]);
    const placed = new Set(replies.filter((r) => r.status === 201).map((r) => r.body._id));
    const events = (await outboxEvents(platform.orderDb, 'order.placed')).filter((e) =>
      placed.has(e.subject),
    );
    expect(events).to.have.length(25);
  });

  it('when one Idempotency-Key is sent 10 times at once, then one order, one reservation, and 10 identical 201s', async () => {
    const productId = await createProduct(platform, { price: 5, quantity: 20 });
    const buyer = await mintedShopper(platform);
    const key = randomUUID();
    const body = { items: [{ product_id: productId, quantity: 3 }], shipping_address: SEED_ADDRESS };

    const replies = await Promise.all(
      Array.from({ length: 10 }, () => place(buyer.token, body, { 'Idempotency-Key': key })),
    );

    expect(replies.map((reply) => reply.status)).to.deep.equal(Array(10).fill(201));
    const ids = new Set(replies.map((reply) => reply.body._id));
    expect(ids.size).to.equal(1);
    for (const reply of replies) expect(reply.body).to.deep.equal(replies[0].body);
    expect(await levels(platform, productId)).to.deep.equal([17, 3]);
    const [orderId] = [...ids];
    const reservations = await platform.inventoryDb('reservations').where({ product_id: productId });
    expect(reservations.map((line) => line.order_id)).to.deep.equal([orderId]);
    const mine = await platform.orderDb('orders').where({ user_id: buyer.id });
    expect(mine).to.have.length(1);
    const events = (await outboxEvents(platform.orderDb, 'order.placed')).filter(
      (e) => e.subject === orderId,
    );
    expect(events).to.have.length(1);
  });

  it('when a used Idempotency-Key comes again with the same body (keys reordered), then the same order and 201', async () => {
    const productId = await createProduct(platform, { price: 12.5, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const key = randomUUID();
    const first = await place(
      buyer.token,
      { items: [{ product_id: productId, quantity: 1 }], shipping_address: SEED_ADDRESS },
      { 'Idempotency-Key': key },
    );
    const again = await place(
      buyer.token,
      { shipping_address: SEED_ADDRESS, items: [{ quantity: 1, product_id: productId }] },
      { 'Idempotency-Key': key },
    );

    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(await levels(platform, productId)).to.deep.equal([9, 1]);
  });

  it('when a used Idempotency-Key comes with another body, then 422 naming the key and nothing is reserved', async () => {
    const productId = await createProduct(platform, { price: 12.5, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const key = randomUUID();
    const line = (quantity: number) => ({
      items: [{ product_id: productId, quantity }],
      shipping_address: SEED_ADDRESS,
    });
    expect((await place(buyer.token, line(1), { 'Idempotency-Key': key })).status).to.equal(201);

    const reply = await place(buyer.token, line(2), { 'Idempotency-Key': key });

    expect(reply.status).to.equal(422);
    expect(reply.body.errors).to.deep.equal([
      { path: 'Idempotency-Key', message: 'already used with a different request body' },
    ]);
    expect(await levels(platform, productId)).to.deep.equal([9, 1]);
    expect(await platform.orderDb('orders').where({ user_id: buyer.id })).to.have.length(1);
  });

  it('when two shoppers use the same Idempotency-Key, then each gets an order of their own', async () => {
    const productId = await createProduct(platform, { price: 1, quantity: 10 });
    const key = randomUUID();
    const body = { items: [{ product_id: productId, quantity: 1 }], shipping_address: SEED_ADDRESS };
    const [a, b] = await Promise.all([mintedShopper(platform), mintedShopper(platform)]);

    const replies = await Promise.all([a, b].map((s) => place(s.token, body, { 'Idempotency-Key': key })));

    expect(replies.map((r) => r.status)).to.deep.equal([201, 201]);
    expect(replies[0].body._id).to.not.equal(replies[1].body._id);
    expect(await levels(platform, productId)).to.deep.equal([8, 2]);
  });

  it('when a stated price is not the catalog’s, then 409 with the current price and nothing is ordered', async () => {
    const productId = await createProduct(platform, { price: 899.99, quantity: 5 });
    const buyer = await mintedShopper(platform);

    const reply = await place(buyer.token, {
      items: [{ product_id: productId, quantity: 1, price: 799.99 }],
      shipping_address: SEED_ADDRESS,
    });

    expect(reply.status).to.equal(409);
    expect(reply.body.items).to.deep.equal([{ product_id: productId, price: 799.99, current_price: 899.99 }]);
    expect(reply.body.errors[0].path).to.equal('items.0.price');
    expect(await levels(platform, productId)).to.deep.equal([5, 0]);
    expect(await platform.orderDb('orders').where({ user_id: buyer.id })).to.have.length(0);
  });

  it('when the admin changed the price before the order, then the order is priced from the catalog', async () => {
    const productId = await createProduct(platform, { price: 10, quantity: 5 });
    const patched = await platform.call.products('PATCH', `/api/v1/products/${productId}`, {
      token: platform.adminToken,
      body: { price: 12.34 },
    });
    expect(patched.status).to.equal(200);
    const buyer = await mintedShopper(platform);

    const reply = await place(buyer.token, {
      items: [{ product_id: productId, quantity: 3 }],
      shipping_address: SEED_ADDRESS,
    });

    expect(reply.status).to.equal(201);
    expect(reply.body.items[0].price).to.equal(12.34);
    expect(reply.body.total_price).to.equal(37.02);
  });

  it('when a product is unknown or deleted, then 422 naming each line and nothing is reserved', async () => {
    const kept = await createProduct(platform, { price: 3, quantity: 5 });
    const deleted = await createProduct(platform, { price: 3, quantity: 5 });
    const removed = await platform.call.products('DELETE', `/api/v1/products/${deleted}`, {
      token: platform.adminToken,
    });
    expect(removed.status).to.equal(204);
    const buyer = await mintedShopper(platform);

    const reply = await place(buyer.token, {
      items: [
        { product_id: kept, quantity: 1 },
        { product_id: deleted, quantity: 1 },
        { product_id: 'ffffffffffffffffffffffff', quantity: 1 },
      ],
      shipping_address: SEED_ADDRESS,
    });

    expect(reply.status).to.equal(422);
    expect(reply.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      'items.1.product_id',
      'items.2.product_id',
    ]);
    expect(await levels(platform, kept)).to.deep.equal([5, 0]);
  });

  it('when no shipping_address is sent, then the caller’s default address from the user service is used', async () => {
    const productId = await createProduct(platform, { price: 2, quantity: 5 });
    const buyer = await registeredShopper(platform, { address: true });

    const reply = await place(buyer.token, { items: [{ product_id: productId, quantity: 1 }] });

    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    expect(reply.body.shipping_address).to.deep.equal(SEED_ADDRESS);
    expect(reply.body.user_id).to.equal(buyer.id);
  });

  it('when no shipping_address is sent and the caller has no default address, then 422 naming it', async () => {
    const productId = await createProduct(platform, { price: 2, quantity: 5 });
    const buyer = await registeredShopper(platform);

    const reply = await place(buyer.token, { items: [{ product_id: productId, quantity: 1 }] });

    expect(reply.status).to.equal(422);
    expect(reply.body.errors).to.deep.equal([
      { path: 'shipping_address', message: 'required: you have no default address' },
    ]);
    expect(await levels(platform, productId)).to.deep.equal([5, 0]);
  });

  it('when an admin places an order, then 403 (only shoppers order, as in the seed)', async () => {
    const productId = await createProduct(platform, { price: 2, quantity: 5 });

    const reply = await place(platform.adminToken, {
      items: [{ product_id: productId, quantity: 1 }],
      shipping_address: SEED_ADDRESS,
    });

    expect(reply.status).to.equal(403);
    expect(await levels(platform, productId)).to.deep.equal([5, 0]);
  });

  it('when user_id names someone else, then 403 and nothing is reserved; the caller’s own id is accepted', async () => {
    const productId = await createProduct(platform, { price: 2, quantity: 5 });
    const buyer = await registeredShopper(platform);
    const body = (user_id: unknown) => ({
      user_id,
      items: [{ product_id: productId, quantity: 1 }],
      shipping_address: SEED_ADDRESS,
    });

    const other = await place(buyer.token, body(Number(buyer.id) + 1));
    const own = await place(buyer.token, body(buyer.id));

    expect(other.status).to.equal(403);
    expect(own.status).to.equal(201);
    expect(own.body.user_id).to.equal(buyer.id);
    expect(await levels(platform, productId)).to.deep.equal([4, 1]);
  });
});
