// Concurrency proofs against the real PostgreSQL server, the app holding a pool of several
// connections: correctness comes from row locks and CHECK constraints, not from this process.
import { expect } from 'chai';
import { clients, eventsOf, levels, newOrderId, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import type { JsonResponse } from './support/http.js';

const RESERVE = '/api/v1/inventory/reserve';

/** How many responses had each status: `{ 201: 50, 409: 150 }`. */
function statusCounts(responses: JsonResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('reservations under concurrency — PostgreSQL server, pool of 10 connections', function () {
  let harness: Harness;
  let api: ReturnType<typeof clients>;

  before(async function () {
    harness = await startHarness({ storage: 'PostgreSQL server', poolMax: 10 });
    api = clients(harness);
  });
  after(async function () {
    await harness?.stop();
  });

  it('when 200 clients reserve 1 unit each of a stock of 50 at once, then exactly 50 succeed, 150 get 409, and available is 0 with 50 reserved', async function () {
    const [product] = await stockUp(harness, 50);

    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        api.service.post(RESERVE, { order_id: newOrderId(), items: [{ product_id: product, quantity: 1 }] }),
      ),
    );

    expect(statusCounts(responses)).to.deep.equal({ 201: 50, 409: 150 });
    expect(await levels(harness, product)).to.include({ available_quantity: 0, reserved_quantity: 50 });
    const lines = await harness
      .db('reservations')
      .where({ product_id: product, state: 'reserved' })
      .count('* as n');
    expect(Number(lines[0].n)).to.equal(50);
    // One stock.updated per successful reservation, each with its own version: 1 (creation) … 51.
    const versions = (await eventsOf(harness.db, product, 'stock.updated')).map(
      (event) => (event.data as { version: number }).version,
    );
    expect(versions).to.deep.equal(Array.from({ length: 51 }, (_, i) => i + 1));
  });

  it('when multi-item orders name the same products in opposite orders at once, then none fails with a deadlock or any 5xx and no unit is lost', async function () {
    const products = await stockUp(harness, 300, 300, 300, 300);
    const forward = products.map((product_id) => ({ product_id, quantity: 1 }));
    const backward = [...forward].reverse();
    const shuffled = [forward[2], forward[0], forward[3], forward[1]];

    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        api.service.post(RESERVE, { order_id: newOrderId(), items: [forward, backward, shuffled][i % 3] }),
      ),
    );

    expect(statusCounts(responses)).to.deep.equal({ 201: 120 });
    for (const product of products) {
      expect(await levels(harness, product)).to.include({ available_quantity: 180, reserved_quantity: 120 });
    }
  });

  it('when the same order is reserved by 20 callers at once, then one reservation is made and every caller gets it', async function () {
    const [a, b] = await stockUp(harness, 100, 100);
    const body = {
      order_id: newOrderId(),
      items: [
        { product_id: a, quantity: 3 },
        { product_id: b, quantity: 2 },
      ],
    };

    const responses = await Promise.all(Array.from({ length: 20 }, () => api.service.post(RESERVE, body)));

    expect(statusCounts(responses)).to.deep.equal({ 201: 1, 200: 19 });
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).to.equal(1);
    expect(await levels(harness, a)).to.include({ available_quantity: 97, reserved_quantity: 3 });
    expect(await levels(harness, b)).to.include({ available_quantity: 98, reserved_quantity: 2 });
  });

  it('when one order id is reserved at once with different products, then one call wins and the other gets 409', async function () {
    const [a, b] = await stockUp(harness, 10, 10);
    const order_id = newOrderId();

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.service.post(RESERVE, { order_id, items: [{ product_id: i % 2 ? a : b, quantity: 1 }] }),
      ),
    );

    const counts = statusCounts(responses);
    expect(counts[201]).to.equal(1);
    expect((counts[200] ?? 0) + (counts[409] ?? 0)).to.equal(9);
    const lines = await harness.db('reservations').where('order_id', order_id);
    expect(lines).to.have.length(1);
    const reservedTotal =
      (await levels(harness, a)).reserved_quantity + (await levels(harness, b)).reserved_quantity;
    expect(reservedTotal).to.equal(1);
  });

  it('when reservations, releases, commits and admin adjustments race on one product, then available + reserved + shipped always adds up', async function () {
    const [product] = await stockUp(harness, 500);
    const orders = Array.from({ length: 60 }, () => newOrderId());
    await Promise.all(
      orders.map((order_id) =>
        api.service.post(RESERVE, { order_id, items: [{ product_id: product, quantity: 2 }] }),
      ),
    );

    const results = await Promise.all([
      ...orders.slice(0, 20).map((order_id) => api.service.post('/api/v1/inventory/release', { order_id })),
      ...orders.slice(20, 40).map((order_id) => api.service.post('/api/v1/inventory/commit', { order_id })),
      ...Array.from({ length: 20 }, () =>
        api.service.post(RESERVE, { order_id: newOrderId(), items: [{ product_id: product, quantity: 1 }] }),
      ),
      ...Array.from({ length: 10 }, () =>
        api.admin.post('/api/v1/inventory/adjust', {
          product_id: product,
          delta: -1,
          reason: 'damaged in the race',
        }),
      ),
    ]);

    expect(results.filter((r) => r.status >= 300).map((r) => r.body)).to.deep.equal([]);
    // 500 − 60×2 reserved, then 20 orders released (+40), 20 committed (40 shipped), 20×1 reserved, 10 written off.
    expect(await levels(harness, product)).to.include({ available_quantity: 390, reserved_quantity: 60 });
  });
});
