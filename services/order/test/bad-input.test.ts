import { expect } from 'chai';
import {
  countOrders,
  createProduct,
  levels,
  mintedShopper,
  outboxEvents,
  SEED_ADDRESS,
  type Shopper,
} from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

describe('bad input to the order API', function () {
  this.timeout(60_000);
  let platform: Platform;
  let productId: string;
  let buyer: Shopper;

  before(async () => {
    platform = await startPlatform();
    productId = await createProduct(platform, { price: 9.99, quantity: 10 });
    buyer = await mintedShopper(platform);
  });
  after(() => platform?.stop());

  const line = (fields: Record<string, unknown> = {}) => ({ product_id: productId, quantity: 1, ...fields });
  const order = (fields: Record<string, unknown> = {}) => ({
    items: [line()],
    shipping_address: SEED_ADDRESS,
    ...fields,
  });

  /** Sends `body`, expects `status` naming `paths`, and checks that nothing was written anywhere. */
  async function refused(body: unknown, status: number, paths: string[], headers?: Record<string, string>) {
    const ordersBefore = await countOrders(platform.orderDb);
    const eventsBefore = (await outboxEvents(platform.orderDb)).length;
    const reply = await platform.call.orders('POST', '/api/v1/orders', { token: buyer.token, body, headers });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(status);
    expect(reply.headers.get('content-type')).to.contain('application/problem+json');
    expect([...new Set(reply.body.errors.map((e: { path: string }) => e.path))]).to.have.members(paths);
    expect(await countOrders(platform.orderDb)).to.equal(ordersBefore);
    expect(await outboxEvents(platform.orderDb)).to.have.length(eventsBefore);
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
    return reply;
  }

  // Bodies are built when the test runs: the product exists only after `before`.
  const cases: Array<[string, () => unknown, number, string[]]> = [
    ['empty items', () => order({ items: [] }), 400, ['items']],
    ['no items', () => ({ shipping_address: SEED_ADDRESS }), 400, ['items']],
    ['quantity 0', () => order({ items: [line({ quantity: 0 })] }), 400, ['items.0.quantity']],
    ['quantity −1', () => order({ items: [line({ quantity: -1 })] }), 400, ['items.0.quantity']],
    ['quantity 1.5', () => order({ items: [line({ quantity: 1.5 })] }), 400, ['items.0.quantity']],
    ['quantity 10^9', () => order({ items: [line({ quantity: 1e9 })] }), 400, ['items.0.quantity']],
    ['quantity as a string', () => order({ items: [line({ quantity: '1' })] }), 400, ['items.0.quantity']],
    ['a non-numeric price', () => order({ items: [line({ price: 'cheap' })] }), 400, ['items.0.price']],
    ['a price with three decimals', () => order({ items: [line({ price: 9.999 })] }), 400, ['items.0.price']],
    ['a negative price', () => order({ items: [line({ price: -9.99 })] }), 400, ['items.0.price']],
    [
      '51 lines',
      () => order({ items: Array.from({ length: 51 }, (_, i) => line({ product_id: `p${i}` })) }),
      400,
      ['items'],
    ],
    ['one product twice', () => order({ items: [line(), line()] }), 400, ['items.1.product_id']],
    [
      'a malformed product id',
      () => order({ items: [line({ product_id: '{"$gt":""}' })] }),
      400,
      ['items.0.product_id'],
    ],
    [
      'an unknown product',
      () => order({ items: [line({ product_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' })] }),
      422,
      ['items.0.product_id'],
    ],
    [
      'an address without city',
      () => order({ shipping_address: { ...SEED_ADDRESS, city: undefined } }),
      400,
      ['shipping_address.city'],
    ],
    [
      'an address line of 10,000 characters',
      () => order({ shipping_address: { ...SEED_ADDRESS, line1: 'x'.repeat(10_000) } }),
      400,
      ['shipping_address.line1'],
    ],
    [
      'an unknown address field',
      () => order({ shipping_address: { ...SEED_ADDRESS, postcode: '1' } }),
      400,
      ['shipping_address'],
    ],
    ['an unknown top-level field', () => order({ shiping_address: SEED_ADDRESS }), 400, ['body']],
    ['user_id of the wrong type', () => order({ user_id: { id: 1 } }), 400, ['user_id']],
    ['a missing address without a default one', () => ({ items: [line()] }), 422, ['shipping_address']],
  ];
  for (const [what, body, status, paths] of cases) {
    it(`when the body has ${what}, then ${status} naming ${paths.join(', ')} and nothing is written`, async () => {
      const reply = await refused(body(), status, paths);
      if (paths[0] === 'body') expect(reply.body.detail).to.contain('shiping_address');
    });
  }

  it('when the body is larger than 64 kB, then 413 and nothing is written', async () => {
    const ordersBefore = await countOrders(platform.orderDb);
    const reply = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      rawBody: JSON.stringify(order({ note: 'x'.repeat(70_000) })),
    });
    expect(reply.status).to.equal(413);
    expect(await countOrders(platform.orderDb)).to.equal(ordersBefore);
  });

  it('when the body is not JSON, then 400 naming the body', async () => {
    const reply = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      rawBody: '{"items": [',
    });
    expect(reply.status).to.equal(400);
    expect(reply.body.errors).to.deep.equal([{ path: 'body', message: 'not valid JSON' }]);
  });

  it('when the Idempotency-Key has a space or 256 characters, then 400 naming the header', async () => {
    await refused(order(), 400, ['Idempotency-Key'], { 'Idempotency-Key': 'has space' });
    await refused(order(), 400, ['Idempotency-Key'], { 'Idempotency-Key': 'k'.repeat(256) });
  });

  it('when there is no token, then 401 before the body is looked at', async () => {
    const reply = await platform.call.orders('POST', '/api/v1/orders', { body: { items: [] } });
    expect(reply.status).to.equal(401);
  });

  it('when the status is unknown or missing, then 400 naming status', async () => {
    const placed = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      body: order(),
    });
    const id = placed.body._id;
    for (const body of [{ status: 'lost' }, {}, { status: 'paid', note: 1 }]) {
      const reply = await platform.call.orders('PUT', `/api/v1/orders/${id}/status`, {
        token: buyer.token,
        body,
      });
      expect(reply.status).to.equal(400);
    }
    const order1 = await platform.call.orders('GET', `/api/v1/orders/${id}`, { token: buyer.token });
    expect(order1.body.status).to.equal('pending');
    await platform.call.orders('DELETE', `/api/v1/orders/${id}`, { token: buyer.token });
  });

  it('when the order id is not a UUID, then 404 (no such order), not 400 or 500', async () => {
    for (const id of ['1', 'not-an-id', "1'; drop table orders; --"]) {
      const reply = await platform.call.orders('GET', `/api/v1/orders/${encodeURIComponent(id)}`, {
        token: buyer.token,
      });
      expect(reply.status).to.equal(404);
    }
  });

  it('when list parameters are out of range or unknown, then 400 naming them', async () => {
    for (const [query, path] of [
      ['limit=0', 'query.limit'],
      ['limit=101', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['status=lost', 'query.status'],
      ['sort=price', 'query'],
    ]) {
      const reply = await platform.call.orders('GET', `/api/v1/orders?${query}`, { token: buyer.token });
      expect(reply.status, query).to.equal(400);
      expect(reply.body.errors[0].path, query).to.equal(path);
    }
  });
});
