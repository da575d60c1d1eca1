// Who may write, what PUT/PATCH/DELETE change, which events they write, and 404s for bad ids.
import { expect } from 'chai';
import type { CloudEvent } from '@cartwheel/kit';
import { startTestApp, type TestApp } from '../../support/app-fixture.js';
import { storeAdapters } from '../../support/catalog-fixtures.js';
import { SEED_PRODUCTS } from '../../support/http.js';

const [phoneInput, headphonesInput] = SEED_PRODUCTS;

for (const adapter of storeAdapters()) {
  describe(`products API: writes — ${adapter.name}`, function () {
    let t: TestApp;
    let phone: { _id: string } & Record<string, unknown>;

    beforeEach(async function () {
      t = await startTestApp(adapter);
      phone = (await t.call('POST', '/api/v1/products', { token: t.admin, body: phoneInput })).body;
    });
    afterEach(async function () {
      await t.close();
    });

    /** Every event waiting in the outboxes, in write order per product (then released unpublished). */
    async function pendingEvents(): Promise<CloudEvent[]> {
      const claims = await t.repository.claimOutbox(1000, 60_000);
      await Promise.all(claims.map((claim) => t.repository.releaseOutbox(claim, [])));
      return claims.flatMap((claim) => claim.entries.map((entry) => entry.event));
    }
    const count = async () => Number((await t.call('GET', '/api/v1/products')).headers.get('x-total-count'));

    it('when a customer or nobody tries to write, then it is 403 or 401 and nothing changes', async function () {
      // Arrange
      const before = await t.call('GET', `/api/v1/products/${phone._id}`);
      const expired = await t.issuer.token({ subject: 'admin-1', roles: ['admin'], expiresInSec: -120 });
      const writes = [
        ['POST', '/api/v1/products', headphonesInput],
        ['PUT', `/api/v1/products/${phone._id}`, { ...phoneInput, name: 'Hacked' }],
        ['PATCH', `/api/v1/products/${phone._id}`, { name: 'Hacked' }],
        ['DELETE', `/api/v1/products/${phone._id}`, undefined],
      ] as const;

      // Act
      const statuses = [];
      for (const [method, path, body] of writes) {
        statuses.push([
          (await t.call(method, path, { token: t.customer, body })).status,
          (await t.call(method, path, { body })).status,
          (await t.call(method, path, { token: expired, body })).status,
        ]);
      }

      // Assert
      expect(statuses).to.deep.equal(writes.map(() => [403, 401, 401]));
      expect((await t.call('GET', `/api/v1/products/${phone._id}`)).body).to.deep.equal(before.body);
      expect(await count()).to.equal(1);
      expect((await pendingEvents()).map((e) => e.type)).to.deep.equal(['product.created']);
    });

    it('when a read carries an invalid token, then it is 401 even though reads are public', async function () {
      // Act
      const reply = await t.call('GET', '/api/v1/products', { token: 'not-a-jwt' });
      const customer = await t.call('GET', `/api/v1/products/${phone._id}`, { token: t.customer });

      // Assert
      expect(reply.status).to.equal(401);
      expect(customer.status).to.equal(200);
    });

    it('when a product is created, then its product.created event holds the product as returned, quantity included', async function () {
      // Act
      const [created] = await pendingEvents();

      // Assert
      expect(created).to.include({
        type: 'product.created',
        subject: phone._id,
        source: '/services/product',
      });
      expect(created.data).to.deep.equal(phone);
      expect(created.data).to.include({ quantity: 50, price: 899.99 });
    });

    it('when the id is malformed or unknown, then every method answers 404', async function () {
      // Arrange
      const { quantity: _q, ...replacement } = phoneInput;
      const ids = ['123', 'zzzzzzzzzzzzzzzzzzzzzzzz', `${phone._id}0`, '64d0c0de00000000000000ff'];

      // Act
      const statuses = [];
      for (const id of ids) {
        statuses.push(
          (await t.call('GET', `/api/v1/products/${id}`)).status,
          (await t.call('PUT', `/api/v1/products/${id}`, { token: t.admin, body: replacement })).status,
          (await t.call('PATCH', `/api/v1/products/${id}`, { token: t.admin, body: { name: 'x' } })).status,
          (await t.call('DELETE', `/api/v1/products/${id}`, { token: t.admin })).status,
        );
      }

      // Assert
      expect(new Set(statuses)).to.deep.equal(new Set([404]));
      expect(await count()).to.equal(1);
    });

    it('when PATCH changes some fields, then only those change and product.updated lists exactly them', async function () {
      // Act
      const reply = await t.call('PATCH', `/api/v1/products/${phone._id}`, {
        token: t.admin,
        body: { price: 849.5, tags: ['5g'], name: phoneInput.name },
      });

      // Assert
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({
        name: phoneInput.name,
        price: 849.5,
        quantity: 50,
        created_at: phone.created_at,
      });
      expect(reply.body.tags).to.deep.equal(['5g']);
      expect(reply.body.updated_at >= (phone.created_at as string)).to.equal(true);
      const [, updated] = await pendingEvents();
      expect(updated.type).to.equal('product.updated');
      expect(updated.data).to.deep.equal({
        _id: phone._id,
        changes: { price: 849.5, tags: ['5g'] },
        updated_at: reply.body.updated_at,
      });
      expect((await t.call('GET', '/api/v1/products/search?q=5g')).body[0]._id).to.equal(phone._id);
    });

    it('when PUT replaces the product, then omitted optional fields are cleared and only real changes are announced', async function () {
      // Arrange
      await t.call('PATCH', `/api/v1/products/${phone._id}`, {
        token: t.admin,
        body: { tags: ['camera'], image_url: 'https://img.example/p.png' },
      });
      const { quantity: _q, ...editable } = phoneInput;

      // Act
      const reply = await t.call('PUT', `/api/v1/products/${phone._id}`, {
        token: t.admin,
        body: { ...editable, category: 'Phones' },
      });

      // Assert
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ category: 'Phones', image_url: null, quantity: 50 });
      expect(reply.body.tags).to.deep.equal([]);
      const events = await pendingEvents();
      expect(events.map((e) => e.type)).to.deep.equal([
        'product.created',
        'product.updated',
        'product.updated',
      ]);
      expect((events[2].data as { changes: unknown }).changes).to.deep.equal({
        category: 'Phones',
        tags: [],
        image_url: null,
      });
    });

    it('when an edit changes nothing, then it answers 200 with the product and writes no event', async function () {
      // Act
      const reply = await t.call('PATCH', `/api/v1/products/${phone._id}`, {
        token: t.admin,
        body: { name: phoneInput.name, price: phoneInput.price },
      });

      // Assert
      expect(reply.status).to.equal(200);
      expect(reply.body).to.deep.equal(phone);
      expect((await pendingEvents()).map((e) => e.type)).to.deep.equal(['product.created']);
    });

    it('when a product is deleted, then it is 204, reads are 404, it leaves lists and search, and product.deleted is written', async function () {
      // Act
      const reply = await t.call('DELETE', `/api/v1/products/${phone._id}`, { token: t.admin });
      const again = await t.call('DELETE', `/api/v1/products/${phone._id}`, { token: t.admin });

      // Assert
      expect(reply.status).to.equal(204);
      expect(again.status).to.equal(404);
      expect((await t.call('GET', `/api/v1/products/${phone._id}`)).status).to.equal(404);
      expect(await count()).to.equal(0);
      expect((await t.call('GET', '/api/v1/products/search?q=smartphone')).body).to.deep.equal([]);
      const events = await pendingEvents();
      expect(events.map((e) => e.type)).to.deep.equal(['product.created', 'product.deleted']);
      expect(events[1].data).to.have.keys('_id', 'deleted_at');
    });
  });
}
