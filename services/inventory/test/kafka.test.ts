// End to end on the real Kafka broker: the catalog's product.created arrives over Kafka and creates
// the record; reservations publish stock.updated through the outbox relay onto Kafka; the order
// service's order.cancelled over Kafka releases stock.
import {
  createEvent,
  createKafkaBus,
  type CloudEvent,
  type EventBus,
  type Subscription,
} from '@cartwheel/kit';
import { eventually, testServers, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { clients, newOrderId, newProductId } from './support/fixtures.js';
import { silentLogger, startHarness, type Harness } from './support/harness.js';

const kafkaBus = (clientId: string): EventBus =>
  createKafkaBus({
    brokers: testServers().kafkaBrokers,
    clientId: uniqueName(clientId),
    logger: silentLogger,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 6000,
    maxWaitTimeInMs: 200,
  });

describe('inventory on Kafka', function () {
  this.timeout(60_000);
  let serviceBus: EventBus;
  let otherServices: EventBus;
  let harness: Harness;
  let watcher: Subscription;
  const seen: Array<{ event: CloudEvent; topic: string }> = [];

  before(async function () {
    serviceBus = kafkaBus('inventory-test');
    otherServices = kafkaBus('catalog-and-orders');
    harness = await startHarness({ bus: serviceBus });
    watcher = await otherServices.subscribe({
      groupId: uniqueName('stock-watcher'),
      topics: [harness.topics.inventory],
      handler: async (event, delivery) => void seen.push({ event, topic: delivery.topic }),
    });
  });
  after(async function () {
    await watcher?.stop();
    await harness?.stop();
    await Promise.all([serviceBus?.close(), otherServices?.close()]);
  });

  const stockUpdates = (productId: string) =>
    seen
      .filter(({ event }) => event.type === 'stock.updated' && event.subject === productId)
      .map(
        ({ event }) =>
          event.data as { version: number; available_quantity: number; reserved_quantity: number },
      );

  it('when product.created is published on Kafka, then the record is created and stock.updated reaches Kafka; a reservation and a cancellation follow it there', async function () {
    const productId = newProductId();
    await otherServices.publish(harness.topics.products, [
      createEvent({
        source: '/services/product',
        type: 'product.created',
        subject: productId,
        data: { _id: productId, name: 'Premium Smartphone', price: 899.99, quantity: 50 },
      }),
    ]);

    await eventually('stock.updated version 1 on Kafka', () => stockUpdates(productId).length === 1, 30_000);
    const { user, service } = clients(harness);
    expect((await user.get(`/api/v1/inventory/${productId}`)).body).to.include({
      available_quantity: 50,
      reserved_quantity: 0,
      reorder_threshold: 5,
    });

    const order_id = newOrderId();
    const reserve = await service.post('/api/v1/inventory/reserve', {
      order_id,
      items: [{ product_id: productId, quantity: 2 }],
    });
    expect(reserve.status).to.equal(201);
    await otherServices.publish(harness.topics.orders, [
      createEvent({
        source: '/services/order',
        type: 'order.cancelled',
        subject: order_id,
        data: { _id: order_id, user_id: '1', cancelled_at: new Date().toISOString() },
      }),
    ]);

    await eventually('three stock.updated on Kafka', () => stockUpdates(productId).length === 3, 30_000);
    expect(stockUpdates(productId)).to.deep.equal([
      { product_id: productId, available_quantity: 50, reserved_quantity: 0, version: 1, stock: 50 },
      { product_id: productId, available_quantity: 48, reserved_quantity: 2, version: 2, stock: 48 },
      { product_id: productId, available_quantity: 50, reserved_quantity: 0, version: 3, stock: 50 },
    ]);
    expect(seen.every(({ topic }) => topic === harness.topics.inventory)).to.equal(true);
  });
});
