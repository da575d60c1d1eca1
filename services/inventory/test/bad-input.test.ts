// Bad input never reaches the database: 4xx naming the field, never 500, state unchanged.
import { expect } from 'chai';
import { createTestIssuer } from '@cartwheel/testing';
import { call } from './support/http.js';
import { clients, levels, newOrderId, newProductId, outboxEvents, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

const RESERVE = '/api/v1/inventory/reserve';

describe('inventory bad input', function () {
  let harness: Harness;
  let api: ReturnType<typeof clients>;
  let product: string;

  before(async function () {
    harness = await startHarness();
    api = clients(harness);
    [product] = await stockUp(harness, 20);
  });
  after(async function () {
    await harness?.stop();
  });

  /** Runs `act` and checks that the record and the outbox are exactly as before. */
  async function expectUnchanged(act: () => Promise<void>): Promise<void> {
    const before = await levels(harness, product);
    const eventsBefore = (await outboxEvents(harness.db)).length;
    const linesBefore = await harness.db('reservations').count('* as n');
    await act();
    expect(await levels(harness, product)).to.deep.equal(before);
    expect((await outboxEvents(harness.db)).length).to.equal(eventsBefore);
    expect(await harness.db('reservations').count('* as n')).to.deep.equal(linesBefore);
  }

  const quantities: Array<[string, unknown, string]> = [
    ['negative', -1, 'items.0.quantity'],
    ['zero', 0, 'items.0.quantity'],
    ['fractional', 1.5, 'items.0.quantity'],
    ['huge', 10_001, 'items.0.quantity'],
    ['beyond any integer', 1e300, 'items.0.quantity'],
    ['a numeric string', '2', 'items.0.quantity'],
    ['missing', undefined, 'items.0.quantity'],
  ];
  for (const [what, quantity, path] of quantities) {
    it(`when a reserve quantity is ${what}, then responds 400 naming ${path} and reserves nothing`, async function () {
      await expectUnchanged(async () => {
        const response = await api.service.post(RESERVE, {
          order_id: newOrderId(),
          items: [{ product_id: product, quantity }],
        });
        expect(response.status).to.equal(400);
        expect(response.body.errors.map((e: { path: string }) => e.path)).to.include(path);
      });
    });
  }

  const bodies: Array<[string, unknown, string]> = [
    ['order_id is missing', { items: [{ product_id: 'p1', quantity: 1 }] }, 'order_id'],
    ['order_id is empty', { order_id: '', items: [{ product_id: 'p1', quantity: 1 }] }, 'order_id'],
    [
      'order_id is too long',
      { order_id: 'x'.repeat(65), items: [{ product_id: 'p1', quantity: 1 }] },
      'order_id',
    ],
    ['order_id holds a quote', { order_id: "o'1", items: [{ product_id: 'p1', quantity: 1 }] }, 'order_id'],
    ['items is empty', { order_id: 'o1', items: [] }, 'items'],
    ['there are neither items nor product_id', { order_id: 'o1' }, 'items'],
    ['a single item has no quantity', { order_id: 'o1', product_id: 'p1' }, 'quantity'],
    [
      'a product is listed twice',
      {
        order_id: 'o1',
        items: [
          { product_id: 'p1', quantity: 1 },
          { product_id: 'p1', quantity: 2 },
        ],
      },
      'items.1.product_id',
    ],
    [
      'a product id is not a string',
      { order_id: 'o1', items: [{ product_id: 42, quantity: 1 }] },
      'items.0.product_id',
    ],
    [
      'an unknown field is sent',
      { order_id: 'o1', items: [{ product_id: 'p1', quantity: 1 }], priority: 'high' },
      'body',
    ],
    [
      'there are 101 items',
      {
        order_id: 'o1',
        items: Array.from({ length: 101 }, (_, i) => ({ product_id: `p${i}`, quantity: 1 })),
      },
      'items',
    ],
  ];
  for (const [what, body, path] of bodies) {
    it(`when ${what}, then reserve responds 400 naming "${path}"`, async function () {
      await expectUnchanged(async () => {
        const response = await api.service.post(RESERVE, body);
        expect(response.status).to.equal(400);
        expect(response.body.errors.map((e: { path: string }) => e.path)).to.include(path);
      });
    });
  }

  it('when the body is not JSON, then reserve responds 400 and reserves nothing', async function () {
    await expectUnchanged(async () => {
      const response = await fetch(harness.inventory.url + RESERVE, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.tokens.service}`, 'content-type': 'application/json' },
        body: '{"order_id": "o1", "items": [',
      });
      expect(response.status).to.equal(400);
    });
  });

  it('when a product is unknown, then reserve responds 422 and reserves nothing', async function () {
    await expectUnchanged(async () => {
      const response = await api.service.post(RESERVE, {
        order_id: newOrderId(),
        items: [{ product_id: newProductId(), quantity: 1 }],
      });
      expect(response.status).to.equal(422);
    });
  });

  for (const path of [RESERVE, '/api/v1/inventory/release', '/api/v1/inventory/commit']) {
    it(`when a customer calls ${path}, then responds 403 and changes nothing`, async function () {
      const order_id = newOrderId();
      await api.service.post(RESERVE, { order_id, items: [{ product_id: product, quantity: 1 }] });
      await expectUnchanged(async () => {
        const response = await api.user.post(path, {
          order_id,
          items: [{ product_id: product, quantity: 1 }],
        });
        expect(response.status).to.equal(403);
        expect(response.body.detail).to.equal('Requires one of the roles: service, admin');
      });
      await api.service.post('/api/v1/inventory/release', { order_id });
    });

    it(`when nobody signs ${path}, then responds 401`, async function () {
      await expectUnchanged(async () => {
        const response = await call(harness.inventory.url, 'POST', path, {
          body: { order_id: newOrderId(), items: [{ product_id: product, quantity: 1 }] },
        });
        expect(response.status).to.equal(401);
      });
    });
  }

  it('when a token from an unknown issuer is sent, then responds 401', async function () {
    const stranger = await createTestIssuer('http://stranger.test');
    const token = await stranger.token({ subject: 'x', roles: ['admin'] });
    await expectUnchanged(async () => {
      const response = await call(harness.inventory.url, 'POST', RESERVE, {
        token,
        body: { order_id: newOrderId(), items: [{ product_id: product, quantity: 1 }] },
      });
      expect(response.status).to.equal(401);
    });
  });

  it('when release or commit get a bad order_id, then they respond 400 naming order_id', async function () {
    for (const path of ['/api/v1/inventory/release', '/api/v1/inventory/commit']) {
      const response = await api.service.post(path, { order_id: 'not/valid' });
      expect(response.status).to.equal(400);
      expect(response.body.errors).to.deep.equal([
        { path: 'order_id', message: 'must be 1–64 letters, digits, "_" or "-"' },
      ]);
    }
  });
});
