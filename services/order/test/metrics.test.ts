import { expect } from 'chai';
import { createProduct, mintedShopper, SEED_ADDRESS } from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

/** One sample of the order service's /metrics with exactly these labels (besides `service`), 0 when not written yet. */
async function sample(platform: Platform, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${platform.order.url}/metrics`)).text();
  const wanted = { ...labels, service: 'order' };
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(wanted).sort()))
      return Number(match[3]);
  }
  return 0;
}

describe('order business metrics', function () {
  this.timeout(60_000);
  let platform: Platform;
  let productId: string;

  before(async () => {
    platform = await startPlatform();
    productId = await createProduct(platform, { price: 249.99, quantity: 3 });
  });
  after(() => platform?.stop());

  const place = (token: string, quantity: number) =>
    platform.call.orders('POST', '/api/v1/orders', {
      token,
      body: { items: [{ product_id: productId, quantity }], shipping_address: SEED_ADDRESS },
    });

  it('when orders are placed, refused and moved, then the counters say how many, how much and why', async () => {
    const shopper = await mintedShopper(platform);
    const placedBefore = await sample(platform, 'orders_placed_total', { currency: 'USD' });
    const valueBefore = await sample(platform, 'orders_placed_value_total', { currency: 'USD' });

    const first = await place(shopper.token, 2);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect((await place(shopper.token, 5)).status).to.equal(409);
    const paid = await platform.call.orders('PUT', `/api/v1/orders/${first.body._id}/status`, {
      token: shopper.token,
      body: { status: 'paid' },
    });
    expect(paid.status).to.equal(200);

    expect(await sample(platform, 'orders_placed_total', { currency: 'USD' })).to.equal(placedBefore + 1);
    expect(await sample(platform, 'orders_placed_value_total', { currency: 'USD' })).to.be.closeTo(
      valueBefore + 499.98,
      1e-9,
    );
    expect(await sample(platform, 'order_place_rejections_total', { reason: 'insufficient_stock' })).to.equal(
      1,
    );
    expect(
      await sample(platform, 'order_status_transitions_total', { from: 'pending', to: 'paid' }),
    ).to.equal(1);
  });
});
