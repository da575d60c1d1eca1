// With the broker down the catalog keeps taking writes; their events wait in the products' outboxes
// and reach Kafka once it is back. Needs the harness to own the broker (`make test`, or run this
// file with the TEST_* variables unset).
import { expect } from 'chai';
import type { CloudEvent } from '@cartwheel/kit';
import { eventually, withKafkaStopped } from '@cartwheel/testing';
import { storeAdapters } from '../../support/catalog-fixtures.js';
import { SEED_PRODUCTS } from '../../support/http.js';
import { startKafkaCatalog, watch, type KafkaCatalog } from '../../support/service-fixture.js';

/** The value of the outbox series `name` of the catalog, from `/metrics`. */
async function outboxMetric(k: KafkaCatalog, name: string): Promise<number> {
  const text = await (await fetch(`${k.service.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes('table="products.outbox"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

for (const adapter of storeAdapters()) {
  describe(`product events during a broker outage — ${adapter.name}`, function () {
    this.timeout(180_000);
    let k: KafkaCatalog;

    beforeEach(async function () {
      k = await startKafkaCatalog(adapter);
    });
    afterEach(async function () {
      await k?.close();
    });

    it('when the broker is down, then the product is still created and its event is published once the broker is back', async function () {
      // Arrange
      let during = { status: 0, readable: 0, backlog: -1, failures: -1 };
      let id = '';

      // Act
      await withKafkaStopped(async () => {
        const reply = await k.call('POST', '/api/v1/products', { token: k.admin, body: SEED_PRODUCTS[1] });
        id = reply.body._id;
        await eventually(
          'the relay has failed to publish and reports the backlog',
          async () =>
            (await outboxMetric(k, 'outbox_publish_failures_total')) >= 1 &&
            (await outboxMetric(k, 'outbox_backlog')) === 1,
          90_000,
        );
        during = {
          status: reply.status,
          readable: (await k.call('GET', `/api/v1/products/${id}`)).status,
          backlog: await outboxMetric(k, 'outbox_backlog'),
          failures: await outboxMetric(k, 'outbox_publish_failures_total'),
        };
      });
      await eventually(
        'the backlog is published',
        async () => (await outboxMetric(k, 'outbox_backlog')) === 0,
        90_000,
      );
      const received: CloudEvent[] = [];
      const reader = await watch(k.bus, k.topics.products, received);
      await eventually('the event is read back from the topic', () => received.length >= 1, 60_000);
      await reader.stop();

      // Assert
      expect(during).to.deep.equal({ status: 201, readable: 200, backlog: 1, failures: during.failures });
      expect(during.failures).to.be.at.least(1);
      expect(received).to.have.length(1);
      expect(received[0]).to.include({ type: 'product.created', subject: id });
      expect(received[0].data).to.include({ _id: id, quantity: 100, price: 249.99 });
    });
  });
}
