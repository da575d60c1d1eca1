import type { CloudEvent, Subscription } from '@cartwheel/kit';
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { createProduct, mintedShopper, SEED_ADDRESS } from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

describe('order events on Kafka', function () {
  this.timeout(90_000);
  let platform: Platform;
  let watcher: Subscription;
  const seen: CloudEvent[] = [];

  before(async () => {
    platform = await startPlatform({ bus: 'kafka' });
    watcher = await platform.bus.subscribe({
      groupId: uniqueName('order-watcher'),
      topics: [platform.topics.orders],
      handler: async (event) => void seen.push(event),
    });
  });
  after(async () => {
    await watcher?.stop();
    await platform?.stop();
  });

  const of = (id: string) => seen.filter((event) => event.subject === id);

  it('when an order is placed, then order.placed reaches Kafka with the contract’s data and inventory confirms the reservation', async () => {
    const productId = await createProduct(platform, { name: 'Kafka Lamp', price: 249.99, quantity: 5 });
    const buyer = await mintedShopper(platform);

    const placed = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      body: { items: [{ product_id: productId, quantity: 2 }], shipping_address: SEED_ADDRESS },
    });

    expect(placed.status).to.equal(201);
    const id = placed.body._id as string;
    await eventually('order.placed on Kafka', () => of(id).length === 1, 30_000);
    const [event] = of(id);
    expect(event).to.deep.include({ type: 'order.placed', source: '/services/order', subject: id });
    expect(event.data).to.deep.equal({
      _id: id,
      user_id: buyer.id,
      user_email: buyer.email,
      items: [{ product_id: productId, name: 'Kafka Lamp', quantity: 2, price: 249.99 }],
      total_price: 499.98,
      currency: 'USD',
      status: 'pending',
      shipping_address: SEED_ADDRESS,
      created_at: placed.body.created_at,
    });
    // Inventory consumed it from Kafka: the reservation no longer expires.
    await eventually(
      'inventory to confirm the reservation',
      async () => {
        const lines = await platform.inventoryDb('reservations').where({ order_id: id });
        return lines.length === 1 && lines[0].confirmed_at !== null;
      },
      30_000,
    );
  });

  it('when an order is paid and then cancelled, then status_changed twice and cancelled follow, in order, keyed by the order', async () => {
    const productId = await createProduct(platform, { price: 10, quantity: 5 });
    const buyer = await mintedShopper(platform);
    const placed = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      body: { items: [{ product_id: productId, quantity: 1 }], shipping_address: SEED_ADDRESS },
    });
    const id = placed.body._id as string;

    await platform.call.orders('PUT', `/api/v1/orders/${id}/status`, {
      token: buyer.token,
      body: { status: 'paid' },
    });
    const cancelled = await platform.call.orders('DELETE', `/api/v1/orders/${id}`, { token: buyer.token });

    expect(cancelled.status).to.equal(204);
    await eventually('four events of the order on Kafka', () => of(id).length === 4, 30_000);
    const events = of(id);
    expect(events.map((event) => event.type)).to.deep.equal([
      'order.placed',
      'order.status_changed',
      'order.status_changed',
      'order.cancelled',
    ]);
    expect(events[1].data).to.deep.include({ _id: id, from: 'pending', to: 'paid' });
    expect(events[2].data).to.deep.include({ _id: id, from: 'paid', to: 'cancelled' });
    expect(events[3].data).to.deep.include({ _id: id, user_id: buyer.id, user_email: buyer.email });
    expect((events[3].data as { cancelled_at: string }).cancelled_at).to.equal(
      (events[2].data as { changed_at: string }).changed_at,
    );
  });
});
