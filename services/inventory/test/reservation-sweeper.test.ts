// Reservations that order.placed never confirmed are released after their TTL (DESIGN §8), by
// every replica's sweeper at once without releasing anything twice.
import { createDatabase, createEvent } from '@cartwheel/kit';
import { createDatabase as createTestDatabase, eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import { clients, levels, newOrderId, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

const RESERVE = '/api/v1/inventory/reserve';

describe('reservation sweeper — PostgreSQL server', function () {
  describe('on demand', function () {
    let harness: Harness;
    let api: ReturnType<typeof clients>;

    before(async function () {
      harness = await startHarness();
      api = clients(harness);
    });
    after(async function () {
      await harness?.stop();
    });

    /** Moves an order's expiry into the past (the TTL elapsing, without waiting for it). */
    const expire = (orderId: string) =>
      harness
        .db('reservations')
        .where('order_id', orderId)
        .update({ expires_at: harness.db.raw("now() - interval '1 second'") });

    it('when an unconfirmed reservation expires, then the sweeper releases it and leaves a confirmed one alone', async function () {
      const [productId] = await stockUp(harness, 20);
      const [unconfirmed, confirmed] = [newOrderId(), newOrderId()];
      for (const order_id of [unconfirmed, confirmed]) {
        const response = await api.service.post(RESERVE, {
          order_id,
          items: [{ product_id: productId, quantity: 3 }],
        });
        expect(response.status).to.equal(201);
      }
      const placed = createEvent({
        source: '/services/order',
        type: 'order.placed',
        subject: confirmed,
        data: { _id: confirmed },
      });
      await harness.bus.publish(harness.topics.orders, [placed]);
      await eventually('order.placed to be applied', async () =>
        Boolean(await harness.db('processed_events').where('event_id', placed.id).first()),
      );
      await expire(unconfirmed);
      await expire(confirmed);

      const released = await harness.inventory.sweeper.sweepNow();

      expect(released).to.equal(1);
      expect(await levels(harness, productId)).to.include({ available_quantity: 17, reserved_quantity: 3 });
      const states = await harness
        .db('reservations')
        .whereIn('order_id', [unconfirmed, confirmed])
        .select('order_id', 'state');
      expect(Object.fromEntries(states.map((row) => [row.order_id, row.state]))).to.deep.equal({
        [unconfirmed]: 'released',
        [confirmed]: 'reserved',
      });
      expect((await api.service.post('/api/v1/inventory/commit', { order_id: unconfirmed })).status).to.equal(
        409,
      );
    });

    it('when a reservation has not expired yet, then the sweeper leaves it', async function () {
      const [productId] = await stockUp(harness, 20);
      await api.service.post(RESERVE, {
        order_id: newOrderId(),
        items: [{ product_id: productId, quantity: 3 }],
      });

      await harness.inventory.sweeper.sweepNow();

      expect(await levels(harness, productId)).to.include({ available_quantity: 17, reserved_quantity: 3 });
    });
  });

  it('when the TTL elapses, then the timer-driven sweeper releases the reservation by itself', async function () {
    const harness = await startHarness({ reservationTtlSec: 1, sweepIntervalMs: 100 });
    try {
      const [productId] = await stockUp(harness, 10);
      const order_id = newOrderId();
      await clients(harness).service.post(RESERVE, {
        order_id,
        items: [{ product_id: productId, quantity: 4 }],
      });
      expect(await levels(harness, productId)).to.include({ available_quantity: 6, reserved_quantity: 4 });

      await eventually(
        'the reservation to be released',
        async () => (await levels(harness, productId)).available_quantity === 10,
      );

      expect(await levels(harness, productId)).to.include({ reserved_quantity: 0 });
    } finally {
      await harness.stop();
    }
  });

  it('when two replicas sweep the same expired reservations at once, then each line is released exactly once', async function () {
    const url = await createTestDatabase('inventory_replicas');
    const first = await startHarness({ db: createDatabase({ url, poolMax: 4 }) });
    const second = await startHarness({ db: createDatabase({ url, poolMax: 4 }) });
    try {
      const products = await stockUp(first, 1000, 1000, 1000);
      const api = clients(first);
      for (let i = 0; i < 300; i++) {
        const response = await api.service.post(RESERVE, {
          order_id: newOrderId(),
          items: [
            { product_id: products[i % 3], quantity: 2 },
            { product_id: products[(i + 1) % 3], quantity: 1 },
          ],
        });
        expect(response.status).to.equal(201);
      }
      await first.db('reservations').update({ expires_at: first.db.raw("now() - interval '1 second'") });

      const released = await Promise.all([
        first.inventory.sweeper.sweepNow(),
        second.inventory.sweeper.sweepNow(),
        first.inventory.sweeper.sweepNow(),
        second.inventory.sweeper.sweepNow(),
      ]);

      expect(released.reduce((sum, n) => sum + n, 0)).to.equal(600);
      for (const productId of products) {
        expect(await levels(first, productId)).to.include({ available_quantity: 1000, reserved_quantity: 0 });
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
