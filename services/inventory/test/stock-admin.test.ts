// Stock queries (signed-in callers) and the admin's stock management.
import { expect } from 'chai';
import { call } from './support/http.js';
import { clients, eventsOf, levels, newOrderId, newProductId, stockUp } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

const INVENTORY = '/api/v1/inventory';

describe('inventory stock API', function () {
  let harness: Harness;
  let api: ReturnType<typeof clients>;

  before(async function () {
    harness = await startHarness();
    api = clients(harness);
  });
  after(async function () {
    await harness?.stop();
  });

  describe('create', function () {
    it("when the admin creates records of 50 and 100 without a threshold, then they get seed 000's thresholds 5 and 10", async function () {
      const [fifty, hundred] = [newProductId(), newProductId()];

      const first = await api.admin.post(INVENTORY, {
        product_id: fifty,
        available_quantity: 50,
        reserved_quantity: 0,
      });
      const second = await api.admin.post(INVENTORY, { product_id: hundred, available_quantity: 100 });

      expect(first.status).to.equal(201);
      expect(first.body).to.include({
        product_id: fifty,
        available_quantity: 50,
        reserved_quantity: 0,
        reorder_threshold: 5,
        discontinued: false,
      });
      expect(first.body.id).to.be.a('number');
      expect(first.body.created_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Object.keys(first.body).sort()).to.deep.equal(
        [
          'id',
          'product_id',
          'available_quantity',
          'reserved_quantity',
          'reorder_threshold',
          'discontinued',
          'created_at',
          'updated_at',
        ].sort(),
      );
      expect(second.body.reorder_threshold).to.equal(10);
      expect(second.body.id).to.be.greaterThan(first.body.id);
    });

    it('when the product already has a record, then responds 409 and keeps the first one', async function () {
      const [product] = await stockUp(harness, 7);

      const response = await api.admin.post(INVENTORY, { product_id: product, available_quantity: 99 });

      expect(response.status).to.equal(409);
      expect(response.body.errors).to.deep.equal([
        { path: 'product_id', message: 'already has an inventory record' },
      ]);
      expect(await levels(harness, product)).to.include({ available_quantity: 7 });
    });

    it('when reserved_quantity is not 0 or quantities are bad, then responds 400 naming the field and creates nothing', async function () {
      const product_id = newProductId();
      const cases: Array<[unknown, string]> = [
        [{ product_id, available_quantity: 10, reserved_quantity: 2 }, 'reserved_quantity'],
        [{ product_id, available_quantity: -1 }, 'available_quantity'],
        [{ product_id, available_quantity: 2.5 }, 'available_quantity'],
        [{ product_id, available_quantity: 1_000_000_001 }, 'available_quantity'],
        [{ product_id, available_quantity: 5, reorder_threshold: -1 }, 'reorder_threshold'],
        [{ available_quantity: 5 }, 'product_id'],
      ];
      for (const [body, path] of cases) {
        const response = await api.admin.post(INVENTORY, body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([path]);
      }
      expect((await api.admin.get(`${INVENTORY}/${product_id}`)).status).to.equal(404);
    });

    it('when a customer or a service creates a record, then responds 403', async function () {
      const body = { product_id: newProductId(), available_quantity: 5 };
      expect((await api.user.post(INVENTORY, body)).status).to.equal(403);
      expect((await api.service.post(INVENTORY, body)).status).to.equal(403);
      expect((await api.admin.get(`${INVENTORY}/${body.product_id}`)).status).to.equal(404);
    });
  });

  describe('read', function () {
    it('when any signed-in caller reads a record, then gets it; an unknown product is 404 and nobody signed in is 401', async function () {
      const [product] = await stockUp(harness, 12);

      for (const caller of [api.user, api.admin, api.service]) {
        const response = await caller.get(`${INVENTORY}/${product}`);
        expect(response.status).to.equal(200);
        expect(response.body).to.include({ product_id: product, available_quantity: 12 });
      }
      expect((await api.user.get(`${INVENTORY}/${newProductId()}`)).status).to.equal(404);
      expect((await call(harness.inventory.url, 'GET', `${INVENTORY}/${product}`)).status).to.equal(401);
    });

    it('when a caller checks a quantity, then says whether it could be reserved now', async function () {
      const [product] = await stockUp(harness, 5);

      const enough = await api.user.get(`${INVENTORY}/${product}/check?quantity=5`);
      const tooMany = await api.user.get(`${INVENTORY}/${product}/check?quantity=6`);
      const bad = await api.user.get(`${INVENTORY}/${product}/check?quantity=1e3`);

      expect(enough.body).to.deep.equal({
        product_id: product,
        requested: 5,
        available_quantity: 5,
        available: true,
      });
      expect(tooMany.body).to.deep.equal({
        product_id: product,
        requested: 6,
        available_quantity: 5,
        available: false,
      });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].path).to.equal('query.quantity');
    });
  });

  describe('list', function () {
    // Its own database: the totals count every record there is.
    let listed: Harness;
    let admin: ReturnType<typeof clients>['admin'];
    before(async function () {
      listed = await startHarness();
      admin = clients(listed).admin;
    });
    after(async function () {
      await listed?.stop();
    });

    it('when the admin lists low stock, then gets only records below their threshold, paged, with X-Total-Count', async function () {
      const low = await stockUp(listed, 9, 9, 9);
      await stockUp(listed, 500);
      for (const product_id of low) {
        await admin.put(`${INVENTORY}/${product_id}`, { reorder_threshold: 1_000_000 });
      }

      const firstPage = await admin.get(`${INVENTORY}?low_stock=true&limit=2`);
      const secondPage = await admin.get(`${INVENTORY}?low_stock=true&limit=2&offset=2`);

      expect(firstPage.status).to.equal(200);
      expect(firstPage.headers.get('x-total-count')).to.equal('3');
      expect(
        [...firstPage.body, ...secondPage.body].map((r: { product_id: string }) => r.product_id),
      ).to.deep.equal(low);
      expect((await admin.get(INVENTORY)).headers.get('x-total-count')).to.equal('4');
      expect((await admin.get(`${INVENTORY}?low_stock=false`)).headers.get('x-total-count')).to.equal('1');
      expect((await admin.get(`${INVENTORY}?limit=101`)).status).to.equal(400);
      expect((await clients(listed).user.get(`${INVENTORY}?low_stock=true`)).status).to.equal(403);
    });
  });

  describe('change', function () {
    it('when the admin sets available quantity and threshold, then both change and a stock.updated carries the next version', async function () {
      const [product] = await stockUp(harness, 40);

      const response = await api.admin.put(`${INVENTORY}/${product}`, {
        available_quantity: 30,
        reorder_threshold: 8,
      });

      expect(response.status).to.equal(200);
      expect(response.body).to.include({
        available_quantity: 30,
        reserved_quantity: 0,
        reorder_threshold: 8,
      });
      const updates = await eventsOf(harness.db, product, 'stock.updated');
      expect(updates.at(-1)?.data).to.deep.equal({
        product_id: product,
        available_quantity: 30,
        reserved_quantity: 0,
        version: 2,
        stock: 30,
      });
    });

    it('when PUT sends nothing to change or an unknown field, then responds 400; an unknown product is 404', async function () {
      const [product] = await stockUp(harness, 40);

      expect((await api.admin.put(`${INVENTORY}/${product}`, {})).status).to.equal(400);
      expect((await api.admin.put(`${INVENTORY}/${product}`, { reserved_quantity: 3 })).status).to.equal(400);
      expect(
        (await api.admin.put(`${INVENTORY}/${newProductId()}`, { available_quantity: 3 })).status,
      ).to.equal(404);
      expect(await levels(harness, product)).to.include({ available_quantity: 40, reserved_quantity: 0 });
    });

    it('when the admin adjusts by a delta with a reason, then available changes and the reason is kept with who asked', async function () {
      const [product] = await stockUp(harness, 10);

      const down = await api.admin.post(`${INVENTORY}/adjust`, {
        product_id: product,
        delta: -4,
        reason: 'water damage',
      });
      const up = await api.admin.post(`${INVENTORY}/adjust`, {
        product_id: product,
        delta: 2,
        reason: 'found in aisle 3',
      });

      expect(down.status).to.equal(200);
      expect(up.body).to.include({ available_quantity: 8 });
      const log = await harness.db('stock_adjustments').where('product_id', product).orderBy('id');
      expect(log.map((row) => [row.delta, row.reason, row.actor])).to.deep.equal([
        [-4, 'water damage', 'admin-1'],
        [2, 'found in aisle 3', 'admin-1'],
      ]);
    });

    it('when an adjustment would go below zero, then responds 409 and changes nothing', async function () {
      const [product] = await stockUp(harness, 3);

      const response = await api.admin.post(`${INVENTORY}/adjust`, {
        product_id: product,
        delta: -4,
        reason: 'count',
      });

      expect(response.status).to.equal(409);
      expect(response.body).to.include({ product_id: product, available: 3, delta: -4 });
      expect(await levels(harness, product)).to.include({ available_quantity: 3 });
      expect(await harness.db('stock_adjustments').where('product_id', product)).to.deep.equal([]);
    });

    it('when an adjustment has delta 0, a fractional delta, no reason or a reason over 200 characters, then responds 400', async function () {
      const [product] = await stockUp(harness, 3);
      const cases: Array<[unknown, string]> = [
        [{ product_id: product, delta: 0, reason: 'x' }, 'delta'],
        [{ product_id: product, delta: 1.5, reason: 'x' }, 'delta'],
        [{ product_id: product, delta: 1 }, 'reason'],
        [{ product_id: product, delta: 1, reason: '   ' }, 'reason'],
        [{ product_id: product, delta: 1, reason: 'x'.repeat(201) }, 'reason'],
      ];
      for (const [body, path] of cases) {
        const response = await api.admin.post(`${INVENTORY}/adjust`, body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([path]);
      }
      expect(await levels(harness, product)).to.include({ available_quantity: 3 });
    });

    it('when the admin restocks, then available grows by the quantity; zero or negative is 400', async function () {
      const [product] = await stockUp(harness, 3);

      const response = await api.admin.patch(`${INVENTORY}/${product}/restock`, { quantity: 20 });

      expect(response.status).to.equal(200);
      expect(response.body).to.include({ available_quantity: 23 });
      expect((await api.admin.patch(`${INVENTORY}/${product}/restock`, { quantity: 0 })).status).to.equal(
        400,
      );
      expect((await api.admin.patch(`${INVENTORY}/${product}/restock`, { quantity: -5 })).status).to.equal(
        400,
      );
      expect((await api.service.patch(`${INVENTORY}/${product}/restock`, { quantity: 5 })).status).to.equal(
        403,
      );
      expect(await levels(harness, product)).to.include({ available_quantity: 23 });
    });

    it('when a restock would pass the stock limit, then responds 409 instead of overflowing', async function () {
      const [product] = await stockUp(harness, 999_999_999);

      const response = await api.admin.patch(`${INVENTORY}/${product}/restock`, { quantity: 1_000_000_000 });

      expect(response.status).to.equal(409);
      expect(response.body.type).to.equal('urn:cartwheel:problem:stock_limit_exceeded');
    });

    it('when stock is reserved, then an admin PUT of available leaves the reserved units alone', async function () {
      const [product] = await stockUp(harness, 10);
      await api.service.post(`${INVENTORY}/reserve`, {
        order_id: newOrderId(),
        items: [{ product_id: product, quantity: 4 }],
      });

      const response = await api.admin.put(`${INVENTORY}/${product}`, { available_quantity: 100 });

      expect(response.body).to.include({ available_quantity: 100, reserved_quantity: 4 });
    });
  });
});
