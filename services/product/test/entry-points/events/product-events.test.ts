// The product service on the real Kafka broker: events out through the outbox relay, stock in
// through the stock.updated projection.
import { expect } from 'chai';
import { createEvent, dlqTopic, type CloudEvent } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { storeAdapters } from '../../support/catalog-fixtures.js';
import { SEED_PRODUCTS } from '../../support/http.js';
import { startKafkaCatalog, watch, type KafkaCatalog } from '../../support/service-fixture.js';

const stockUpdated = (subject: string, productId: string, available: number, version: number) =>
  createEvent({
    source: '/services/inventory',
    type: 'stock.updated',
    subject,
    data: {
      product_id: productId,
      available_quantity: available,
      reserved_quantity: 0,
      version,
      stock: available,
    },
  });

for (const adapter of storeAdapters()) {
  describe(`product events on Kafka — ${adapter.name}`, function () {
    this.timeout(60_000);
    let k: KafkaCatalog;

    beforeEach(async function () {
      k = await startKafkaCatalog(adapter);
    });
    afterEach(async function () {
      await k?.close();
    });

    const create = async (body: object) =>
      (await k.call('POST', '/api/v1/products', { token: k.admin, body })).body as {
        _id: string;
        quantity: number;
      };
    const quantityOf = async (id: string) => (await k.call('GET', `/api/v1/products/${id}`)).body.quantity;

    it('when products are created, changed and deleted, then a consumer gets product.created with the quantity, then updated and deleted, in order', async function () {
      // Arrange
      const watch = await create(SEED_PRODUCTS[2]);

      // Act
      await k.call('PATCH', `/api/v1/products/${watch._id}`, { token: k.admin, body: { price: 169.99 } });
      await k.call('DELETE', `/api/v1/products/${watch._id}`, { token: k.admin });
      await eventually('three events are published', () => k.published.length >= 3);

      // Assert
      const [created, updated, deleted] = k.published;
      expect(k.published.map((e) => e.type)).to.deep.equal([
        'product.created',
        'product.updated',
        'product.deleted',
      ]);
      expect(k.published.every((e) => e.subject === watch._id)).to.equal(true);
      expect(created.data).to.include({
        _id: watch._id,
        quantity: 75,
        price: 179.99,
        name: SEED_PRODUCTS[2].name,
      });
      expect((updated.data as { changes: unknown }).changes).to.deep.equal({ price: 169.99 });
      expect(deleted.data).to.include({ _id: watch._id });
      await eventually('the backlog gauge reports an empty outbox', async () =>
        /^outbox_backlog\{[^}]*table="products\.outbox"[^}]*\} 0$/m.test(
          await (await fetch(`${k.service.url}/metrics`)).text(),
        ),
      );
    });

    it('when stock.updated events arrive out of order or twice, then quantity follows the newest version only', async function () {
      // Arrange
      const phone = await create(SEED_PRODUCTS[0]);
      const sentinel = await create(SEED_PRODUCTS[1]);
      await k.bus.publish(k.topics.inventory, [stockUpdated(phone._id, phone._id, 30, 5)]);
      await eventually('version 5 is applied', async () => (await quantityOf(phone._id)) === 30);

      // Act: same key, so one partition keeps this order; the last event moves the sentinel product.
      const older = [stockUpdated(phone._id, phone._id, 45, 3), stockUpdated(phone._id, phone._id, 44, 4)];
      const repeated = stockUpdated(phone._id, phone._id, 12, 5);
      await k.bus.publish(k.topics.inventory, [
        ...older,
        repeated,
        stockUpdated(phone._id, sentinel._id, 7, 1),
      ]);
      await eventually(
        'the sentinel behind them is applied',
        async () => (await quantityOf(sentinel._id)) === 7,
      );

      // Assert
      expect(await quantityOf(phone._id)).to.equal(30);
      await k.bus.publish(k.topics.inventory, [stockUpdated(phone._id, phone._id, 29, 6)]);
      await eventually('a newer version is applied', async () => (await quantityOf(phone._id)) === 29);
    });

    it('when a stock.updated event is malformed, then it is parked in the DLQ and later events still apply', async function () {
      // Arrange
      const phone = await create(SEED_PRODUCTS[0]);
      const parked: CloudEvent[] = [];
      const dlq = await watch(k.bus, dlqTopic(k.topics.inventory), parked);
      const poison = createEvent({
        source: '/services/inventory',
        type: 'stock.updated',
        subject: phone._id,
        data: { product_id: phone._id, available_quantity: 'lots', version: 2 },
      });

      // Act
      await k.bus.publish(k.topics.inventory, [poison, stockUpdated(phone._id, phone._id, 41, 3)]);
      await eventually(
        'the valid event behind it is applied',
        async () => (await quantityOf(phone._id)) === 41,
      );
      await eventually('the poison event is parked', () => parked.length === 1);
      await dlq.stop();

      // Assert
      expect(parked[0].id).to.equal(poison.id);
    });
  });
}
