// The reservation contract (DESIGN §6, §8), run against both storages: a PostgreSQL server and
// PGlite (embedded mode).
import { expect } from 'chai';
import {
  clients,
  eventsOf,
  levels,
  newOrderId,
  newProductId,
  outboxEvents,
  stockUp,
} from './support/fixtures.js';
import { startHarness, type Harness, type Storage } from './support/harness.js';

const RESERVE = '/api/v1/inventory/reserve';
const RELEASE = '/api/v1/inventory/release';
const COMMIT = '/api/v1/inventory/commit';

for (const storage of ['PostgreSQL server', 'PGlite'] as Storage[]) {
  describe(`reservations — ${storage}`, function () {
    // PGlite takes seconds to start, more under coverage on a busy machine.
    this.timeout(60_000);
    let harness: Harness;
    let api: ReturnType<typeof clients>;

    before(async function () {
      harness = await startHarness({ storage });
      api = clients(harness);
    });
    after(async function () {
      await harness?.stop();
    });

    describe('reserve', function () {
      it('when every item is in stock, then responds 201 and moves each quantity from available to reserved', async function () {
        const [a, b] = await stockUp(harness, 50, 100);
        const order_id = newOrderId();

        const response = await api.service.post(RESERVE, {
          order_id,
          items: [
            { product_id: a, quantity: 2 },
            { product_id: b, quantity: 7 },
          ],
        });

        expect(response.status).to.equal(201);
        expect(response.body).to.deep.include({ order_id, state: 'reserved', confirmed: false });
        expect(response.body.items).to.have.deep.members([
          { product_id: a, quantity: 2, state: 'reserved' },
          { product_id: b, quantity: 7, state: 'reserved' },
        ]);
        expect(Date.parse(response.body.expires_at)).to.be.greaterThan(Date.now());
        expect(await levels(harness, a)).to.include({ available_quantity: 48, reserved_quantity: 2 });
        expect(await levels(harness, b)).to.include({ available_quantity: 93, reserved_quantity: 7 });
      });

      it('when one item is short, then responds 409 listing it with what is available and leaves every item untouched', async function () {
        const [plenty, short, alsoShort] = await stockUp(harness, 50, 3, 1);
        const eventsBefore = (await outboxEvents(harness.db)).length;

        const response = await api.service.post(RESERVE, {
          order_id: newOrderId(),
          items: [
            { product_id: plenty, quantity: 5 },
            { product_id: short, quantity: 4 },
            { product_id: alsoShort, quantity: 2 },
          ],
        });

        expect(response.status).to.equal(409);
        expect(response.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(response.body.items).to.deep.equal([
          { product_id: short, requested: 4, available: 3 },
          { product_id: alsoShort, requested: 2, available: 1 },
        ]);
        expect(response.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
          'items.1.quantity',
          'items.2.quantity',
        ]);
        expect(await levels(harness, plenty)).to.include({ available_quantity: 50, reserved_quantity: 0 });
        expect(await levels(harness, short)).to.include({ available_quantity: 3, reserved_quantity: 0 });
        expect((await outboxEvents(harness.db)).length).to.equal(eventsBefore);
      });

      it('when a product has no inventory record, then responds 422 naming that item and reserves nothing', async function () {
        const [known] = await stockUp(harness, 10);
        const unknown = newProductId();

        const response = await api.service.post(RESERVE, {
          order_id: newOrderId(),
          items: [
            { product_id: known, quantity: 1 },
            { product_id: unknown, quantity: 1 },
          ],
        });

        expect(response.status).to.equal(422);
        expect(response.body.errors).to.deep.equal([
          { path: 'items.1.product_id', message: `no stock for ${unknown}` },
        ]);
        expect(await levels(harness, known)).to.include({ available_quantity: 10, reserved_quantity: 0 });
      });

      it('when the same order is reserved twice with the same items, then the second responds 200 with the same reservation and changes nothing', async function () {
        const [a, b] = await stockUp(harness, 20, 20);
        const body = {
          order_id: newOrderId(),
          items: [
            { product_id: a, quantity: 3 },
            { product_id: b, quantity: 4 },
          ],
        };
        const first = await api.service.post(RESERVE, body);
        const eventsAfterFirst = (await outboxEvents(harness.db)).length;

        const second = await api.service.post(RESERVE, { ...body, items: [...body.items].reverse() });

        expect(first.status).to.equal(201);
        expect(second.status).to.equal(200);
        expect(second.body).to.deep.equal(first.body);
        expect(await levels(harness, a)).to.include({ available_quantity: 17, reserved_quantity: 3 });
        expect((await outboxEvents(harness.db)).length).to.equal(eventsAfterFirst);
      });

      it('when an order id is reused with different items, then responds 409 naming order_id and changes nothing', async function () {
        const [a] = await stockUp(harness, 20);
        const order_id = newOrderId();
        await api.service.post(RESERVE, { order_id, items: [{ product_id: a, quantity: 3 }] });

        const response = await api.service.post(RESERVE, {
          order_id,
          items: [{ product_id: a, quantity: 4 }],
        });

        expect(response.status).to.equal(409);
        expect(response.body.errors).to.deep.equal([
          { path: 'order_id', message: 'already used for a reservation with different items' },
        ]);
        expect(await levels(harness, a)).to.include({ available_quantity: 17, reserved_quantity: 3 });
      });

      it("when the seed's single-item body is sent, then it reserves that item and names its own fields in errors", async function () {
        const [a] = await stockUp(harness, 5);
        const order_id = newOrderId();

        const reserved = await api.service.post(RESERVE, { product_id: a, quantity: 2, order_id });
        const short = await api.service.post(RESERVE, { product_id: a, quantity: 4, order_id: newOrderId() });

        expect(reserved.status).to.equal(201);
        expect(reserved.body.items).to.deep.equal([{ product_id: a, quantity: 2, state: 'reserved' }]);
        expect(short.status).to.equal(409);
        expect(short.body.errors).to.deep.equal([{ path: 'quantity', message: 'requested 4, available 3' }]);
        expect(await levels(harness, a)).to.include({ available_quantity: 3, reserved_quantity: 2 });
      });

      it('when every change is published, then each product gets one stock.updated per change with its version counting up from 1', async function () {
        const [a] = await stockUp(harness, 10);
        const order_id = newOrderId();

        await api.service.post(RESERVE, { order_id, items: [{ product_id: a, quantity: 4 }] });
        await api.service.post(RELEASE, { order_id });

        const updates = await eventsOf(harness.db, a, 'stock.updated');
        expect(updates.map((e) => e.data)).to.deep.equal([
          { product_id: a, available_quantity: 10, reserved_quantity: 0, version: 1, stock: 10 },
          { product_id: a, available_quantity: 6, reserved_quantity: 4, version: 2, stock: 6 },
          { product_id: a, available_quantity: 10, reserved_quantity: 0, version: 3, stock: 10 },
        ]);
        expect(updates.every((e) => e.source === '/services/inventory' && e.subject === a)).to.equal(true);
      });
    });

    describe('release and commit', function () {
      async function reserved(quantity: number) {
        const [product] = await stockUp(harness, 10);
        const order_id = newOrderId();
        const response = await api.service.post(RESERVE, {
          order_id,
          items: [{ product_id: product, quantity }],
        });
        expect(response.status).to.equal(201);
        return { product, order_id };
      }

      it('when a reservation is released twice, then stock comes back once and the second responds 200 unchanged', async function () {
        const { product, order_id } = await reserved(4);

        const first = await api.service.post(RELEASE, { order_id });
        const eventsAfterFirst = (await outboxEvents(harness.db)).length;
        const second = await api.service.post(RELEASE, { order_id });

        expect(first.status).to.equal(200);
        expect(first.body.state).to.equal('released');
        expect(second.status).to.equal(200);
        expect(second.body).to.deep.equal(first.body);
        expect(await levels(harness, product)).to.include({ available_quantity: 10, reserved_quantity: 0 });
        expect((await outboxEvents(harness.db)).length).to.equal(eventsAfterFirst);
      });

      it('when a reservation is committed twice, then reserved goes down once, nothing comes back, and the second responds 200 unchanged', async function () {
        const { product, order_id } = await reserved(4);

        const first = await api.service.post(COMMIT, { order_id });
        const second = await api.service.post(COMMIT, { order_id });

        expect(first.status).to.equal(200);
        expect(first.body.state).to.equal('committed');
        expect(second.status).to.equal(200);
        expect(second.body).to.deep.equal(first.body);
        expect(await levels(harness, product)).to.include({ available_quantity: 6, reserved_quantity: 0 });
      });

      it('when a committed reservation is released, then responds 409 and stock stays shipped', async function () {
        const { product, order_id } = await reserved(4);
        await api.service.post(COMMIT, { order_id });

        const response = await api.service.post(RELEASE, { order_id });

        expect(response.status).to.equal(409);
        expect(response.body.type).to.equal('urn:cartwheel:problem:reservation_committed');
        expect(await levels(harness, product)).to.include({ available_quantity: 6, reserved_quantity: 0 });
      });

      it('when a released reservation is committed or reserved again, then both respond 409 and stock stays released', async function () {
        const { product, order_id } = await reserved(4);
        await api.service.post(RELEASE, { order_id });

        const commit = await api.service.post(COMMIT, { order_id });
        const again = await api.service.post(RESERVE, {
          order_id,
          items: [{ product_id: product, quantity: 4 }],
        });

        expect(commit.status).to.equal(409);
        expect(commit.body.type).to.equal('urn:cartwheel:problem:reservation_released');
        expect(again.status).to.equal(409);
        expect(again.body.type).to.equal('urn:cartwheel:problem:reservation_released');
        expect(await levels(harness, product)).to.include({ available_quantity: 10, reserved_quantity: 0 });
      });

      it('when the order id has no reservation, then release and commit respond 404', async function () {
        const release = await api.service.post(RELEASE, { order_id: newOrderId() });
        const commit = await api.service.post(COMMIT, { order_id: newOrderId() });

        expect(release.status).to.equal(404);
        expect(commit.status).to.equal(404);
      });
    });

    describe('discontinued products', function () {
      it('when a product is discontinued, then a reservation naming it responds 409 and reserves nothing', async function () {
        const [active, gone] = await stockUp(harness, 10, 10);
        await harness.db('inventory').where('product_id', gone).update({ discontinued: true });

        const response = await api.service.post(RESERVE, {
          order_id: newOrderId(),
          items: [
            { product_id: active, quantity: 1 },
            { product_id: gone, quantity: 1 },
          ],
        });

        expect(response.status).to.equal(409);
        expect(response.body.type).to.equal('urn:cartwheel:problem:product_discontinued');
        expect(response.body.errors).to.deep.equal([
          { path: 'items.1.product_id', message: `${gone} is discontinued` },
        ]);
        expect(await levels(harness, active)).to.include({ available_quantity: 10, reserved_quantity: 0 });
      });
    });
  });
}
