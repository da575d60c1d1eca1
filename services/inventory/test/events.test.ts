// What inventory does with the catalog's and the order service's events, and what it publishes,
// through the in-process bus (the Kafka path: kafka.test.ts).
import { createEvent, type CloudEvent } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import { clients, eventsOf, levels, newOrderId, newProductId, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

const RESERVE = '/api/v1/inventory/reserve';

const productCreated = (productId: string, quantity: number) =>
  createEvent({
    source: '/services/product',
    type: 'product.created',
    subject: productId,
    data: {
      _id: productId,
      name: 'Premium Smartphone',
      description: 'Latest model',
      category: 'Electronics',
      price: 899.99,
      currency: 'USD',
      quantity,
      tags: [],
      image_url: null,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    },
  });

const orderEvent = (type: string, orderId: string) =>
  createEvent({ source: '/services/order', type, subject: orderId, data: { _id: orderId, user_id: '1' } });

describe('inventory events', function () {
  let harness: Harness;
  let api: ReturnType<typeof clients>;
  const processed = async (id: string) =>
    (await harness.db('processed_events').where('event_id', id).first()) !== undefined;

  before(async function () {
    harness = await startHarness();
    api = clients(harness);
  });
  after(async function () {
    await harness?.stop();
  });

  describe('product.created', function () {
    it('when a product of 50 is created, then its record appears with 50 available and threshold 5, and stock.updated version 1 is published', async function () {
      const productId = newProductId();
      const published: CloudEvent[] = [];
      const watcher = await harness.bus.subscribe({
        groupId: 'watcher',
        topics: [harness.topics.inventory],
        handler: async (event) => void published.push(event),
      });
      try {
        await harness.bus.publish(harness.topics.products, [productCreated(productId, 50)]);

        await eventually('stock.updated to be published', () =>
          published.some((e) => e.subject === productId),
        );
        expect(await levels(harness, productId)).to.include({
          available_quantity: 50,
          reserved_quantity: 0,
          reorder_threshold: 5,
        });
        expect(published.find((e) => e.subject === productId)?.data).to.deep.equal({
          product_id: productId,
          available_quantity: 50,
          reserved_quantity: 0,
          version: 1,
          stock: 50,
        });
      } finally {
        await watcher.stop();
      }
    });

    it('when product.created is delivered twice, and again under a new event id, then there is one record with the first quantity', async function () {
      const productId = newProductId();
      const event = productCreated(productId, 100);
      const again = productCreated(productId, 7);

      await harness.bus.publish(harness.topics.products, [event, event, again]);

      await eventually('the new event id to be processed', () => processed(again.id));
      const rows = await harness.db('inventory').where('product_id', productId);
      expect(rows).to.have.length(1);
      expect(await levels(harness, productId)).to.include({ available_quantity: 100, reorder_threshold: 10 });
      expect(await eventsOf(harness.db, productId, 'stock.updated')).to.have.length(1);
    });

    it('when product.created carries no quantity, then it is parked in the dead-letter topic and creates nothing', async function () {
      const productId = newProductId();
      const bad = createEvent({
        source: '/services/product',
        type: 'product.created',
        subject: productId,
        data: { _id: productId, name: 'No quantity' },
      });
      const dead: CloudEvent[] = [];
      const dlq = await harness.bus.subscribe({
        groupId: 'dlq-watcher',
        topics: [`${harness.topics.products}.dlq`],
        handler: async (event) => void dead.push(event),
      });
      try {
        await harness.bus.publish(harness.topics.products, [bad]);

        await eventually('the event to reach the DLQ', () => dead.some((e) => e.id === bad.id));
        expect(await harness.db('inventory').where('product_id', productId)).to.deep.equal([]);
      } finally {
        await dlq.stop();
      }
    });
  });

  describe('product.deleted', function () {
    it('when a product is deleted, then its record is discontinued and new reservations of it get 409', async function () {
      const [productId] = await stockUp(harness, 10);
      const deleted = createEvent({
        source: '/services/product',
        type: 'product.deleted',
        subject: productId,
        data: { _id: productId, deleted_at: new Date().toISOString() },
      });

      await harness.bus.publish(harness.topics.products, [deleted]);

      await eventually('the deletion to be applied', () => processed(deleted.id));
      expect((await api.user.get(`/api/v1/inventory/${productId}`)).body.discontinued).to.equal(true);
      const reserve = await api.service.post(RESERVE, {
        order_id: newOrderId(),
        items: [{ product_id: productId, quantity: 1 }],
      });
      expect(reserve.status).to.equal(409);
      const check = await api.user.get(`/api/v1/inventory/${productId}/check?quantity=1`);
      expect(check.body.available).to.equal(false);
    });
  });

  describe('inventory.low', function () {
    it('when available crosses below the threshold, then inventory.low fires once per crossing and again after it recovered', async function () {
      const [productId] = await stockUp(harness, 50); // threshold 5
      const reserve = async (quantity: number) => {
        const order_id = newOrderId();
        const response = await api.service.post(RESERVE, {
          order_id,
          items: [{ product_id: productId, quantity }],
        });
        expect(response.status).to.equal(201);
        return order_id;
      };
      const lows = async () => (await eventsOf(harness.db, productId, 'inventory.low')).map((e) => e.data);

      await reserve(45); // 5 left: at the threshold, not below
      expect(await lows()).to.deep.equal([]);
      const crossing = await reserve(1); // 4 left: crosses
      await reserve(1); // 3 left: still low, no second event
      await api.admin.post('/api/v1/inventory/adjust', {
        product_id: productId,
        delta: -1,
        reason: 'broken',
      });
      expect(await lows()).to.deep.equal([
        { product_id: productId, available_quantity: 4, reorder_threshold: 5 },
      ]);

      await api.service.post('/api/v1/inventory/release', { order_id: crossing }); // 3 back: still low
      await api.admin.patch(`/api/v1/inventory/${productId}/restock`, { quantity: 10 }); // 13: recovered
      await reserve(9); // 4 left: crosses again

      expect(await lows()).to.deep.equal([
        { product_id: productId, available_quantity: 4, reorder_threshold: 5 },
        { product_id: productId, available_quantity: 4, reorder_threshold: 5 },
      ]);
    });

    it('when the admin raises the threshold above what is available, then inventory.low fires', async function () {
      const [productId] = await stockUp(harness, 20);

      await api.admin.put(`/api/v1/inventory/${productId}`, { reorder_threshold: 25 });

      expect((await eventsOf(harness.db, productId, 'inventory.low')).map((e) => e.data)).to.deep.equal([
        { product_id: productId, available_quantity: 20, reorder_threshold: 25 },
      ]);
    });
  });

  describe('order events', function () {
    it('when order.placed arrives, then the reservation is confirmed', async function () {
      const [productId] = await stockUp(harness, 10);
      const order_id = newOrderId();
      const body = { order_id, items: [{ product_id: productId, quantity: 2 }] };
      await api.service.post(RESERVE, body);
      const placed = orderEvent('order.placed', order_id);

      await harness.bus.publish(harness.topics.orders, [placed]);

      await eventually('order.placed to be applied', () => processed(placed.id));
      const repeat = await api.service.post(RESERVE, body);
      expect(repeat.body).to.include({ state: 'reserved', confirmed: true });
    });

    it('when order.cancelled arrives, twice, then the reservation is released once', async function () {
      const [productId] = await stockUp(harness, 10);
      const order_id = newOrderId();
      await api.service.post(RESERVE, { order_id, items: [{ product_id: productId, quantity: 2 }] });
      const first = orderEvent('order.cancelled', order_id);
      const second = orderEvent('order.cancelled', order_id);

      await harness.bus.publish(harness.topics.orders, [first, second]);

      await eventually(
        'both cancellations to be applied',
        async () => (await processed(first.id)) && processed(second.id),
      );
      expect(await levels(harness, productId)).to.include({ available_quantity: 10, reserved_quantity: 0 });
      expect(await eventsOf(harness.db, productId, 'stock.updated')).to.have.length(3);
    });

    it('when order.cancelled names an order without a reservation, then it is acknowledged and changes nothing', async function () {
      const cancelled = orderEvent('order.cancelled', newOrderId());

      await harness.bus.publish(harness.topics.orders, [cancelled]);

      await eventually('the cancellation to be acknowledged', () => processed(cancelled.id));
    });

    it('when the order service publishes types inventory does not handle, then they are skipped without a trace', async function () {
      // Same order, so same partition: the marker is handled after the status change.
      const orderId = newOrderId();
      const changed = createEvent({
        source: '/services/order',
        type: 'order.status_changed',
        subject: orderId,
        data: { _id: orderId, from: 'pending', to: 'paid' },
      });
      const marker = orderEvent('order.cancelled', orderId);

      await harness.bus.publish(harness.topics.orders, [changed, marker]);

      await eventually('the marker behind it to be processed', () => processed(marker.id));
      expect(await processed(changed.id)).to.equal(false);
    });
  });
});
