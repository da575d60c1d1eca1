import { createEvent } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import { clients, newOrderId, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

describe('inventory metrics — PostgreSQL server', function () {
  let harness: Harness;
  let api: ReturnType<typeof clients>;

  before(async () => {
    harness = await startHarness();
    api = clients(harness);
  });
  after(() => harness?.stop());

  /** The value of one series in the service's Prometheus text, 0 when it is absent. */
  const sample = async (series: string): Promise<number> => {
    const text = await (await fetch(`${harness.inventory.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const reservations = (result: string) =>
    sample(`inventory_reservations_total{result="${result}",service="inventory"}`);
  const reserve = (order_id: string, product_id: string, quantity: number) =>
    api.service.post('/api/v1/inventory/reserve', { order_id, items: [{ product_id, quantity }] });

  it('when orders reserve, fall short, release, commit, expire and are cancelled by event, then inventory_reservations_total counts each result once per order', async () => {
    const [roomy, small] = await stockUp(harness, 10, 5);
    const [released, committed, expiring, cancelled] = [
      newOrderId(),
      newOrderId(),
      newOrderId(),
      newOrderId(),
    ];

    expect((await reserve(released, roomy, 2)).status).to.equal(201);
    expect((await reserve(released, roomy, 2)).status, 'a repeat changes nothing').to.equal(200);
    expect((await reserve(newOrderId(), roomy, 100)).status).to.equal(409);
    for (let i = 0; i < 2; i++) {
      expect((await api.service.post('/api/v1/inventory/release', { order_id: released })).status).to.equal(
        200,
      );
    }
    expect((await reserve(committed, small, 1)).status).to.equal(201);
    expect((await api.service.post('/api/v1/inventory/commit', { order_id: committed })).status).to.equal(
      200,
    );
    expect((await reserve(expiring, roomy, 1)).status).to.equal(201);
    await harness
      .db('reservations')
      .where('order_id', expiring)
      .update({ expires_at: harness.db.raw("now() - interval '1 second'") });
    expect(await harness.inventory.sweeper.sweepNow()).to.equal(1);
    expect((await reserve(cancelled, roomy, 1)).status).to.equal(201);
    const event = createEvent({
      source: '/services/order',
      type: 'order.cancelled',
      subject: cancelled,
      data: { _id: cancelled },
    });
    await harness.bus.publish(harness.topics.orders, [event]);
    await eventually('order.cancelled applied', async () =>
      Boolean(await harness.db('processed_events').where('event_id', event.id).first()),
    );

    expect(await reservations('ok')).to.equal(4);
    expect(await reservations('short')).to.equal(1);
    expect(await reservations('released')).to.equal(2);
    expect(await reservations('committed')).to.equal(1);
    expect(await reservations('expired')).to.equal(1);
  });

  it('when a product’s available stock falls below its reorder threshold, then inventory_low_stock_products counts it, and not once restocked', async () => {
    const before = await sample('inventory_low_stock_products');
    const [product] = await stockUp(harness, 20); // reorder threshold 2: low below it
    const order = newOrderId();

    expect((await reserve(order, product, 19)).status).to.equal(201);
    expect(await sample('inventory_low_stock_products')).to.equal(before + 1);

    expect((await api.service.post('/api/v1/inventory/release', { order_id: order })).status).to.equal(200);
    expect(await sample('inventory_low_stock_products')).to.equal(before);
  });
});
