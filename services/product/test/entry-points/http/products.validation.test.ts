// Bad input and operator injection: 400 naming the field, and nothing written.
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/app-fixture.js';
import { storeAdapters } from '../../support/catalog-fixtures.js';
import { SEED_PRODUCTS } from '../../support/http.js';

const valid = SEED_PRODUCTS[0];

/** Bodies that must be refused, each with the error path it must name. */
const BAD_BODIES: Array<[string, Record<string, unknown>, string]> = [
  ['empty name', { ...valid, name: '' }, 'name'],
  ['blank name', { ...valid, name: '   ' }, 'name'],
  ['name of 201 characters', { ...valid, name: 'n'.repeat(201) }, 'name'],
  ['missing name', { ...valid, name: undefined }, 'name'],
  ['category of 101 characters', { ...valid, category: 'c'.repeat(101) }, 'category'],
  ['description of 5001 characters', { ...valid, description: 'd'.repeat(5001) }, 'description'],
  ['price 0', { ...valid, price: 0 }, 'price'],
  ['negative price', { ...valid, price: -5 }, 'price'],
  ['price above the maximum', { ...valid, price: 1_000_000.01 }, 'price'],
  ['price with three decimals', { ...valid, price: 19.999 }, 'price'],
  ['price with a float artefact', { ...valid, price: 0.1 + 0.2 }, 'price'],
  ['price as text', { ...valid, price: '899.99' }, 'price'],
  ['negative quantity', { ...valid, quantity: -1 }, 'quantity'],
  ['fractional quantity', { ...valid, quantity: 1.5 }, 'quantity'],
  ['21 tags', { ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
  ['ftp image URL', { ...valid, image_url: 'ftp://example.com/a.png' }, 'image_url'],
  ['javascript image URL', { ...valid, image_url: 'javascript:alert(1)' }, 'image_url'],
  ['unknown field', { ...valid, colour: 'red' }, 'colour'],
  ['operator as a value', { ...valid, name: { $gt: '' } }, 'name.$gt'],
  ['object as a name', { ...valid, name: { first: 'x' } }, 'name'],
  ['array as a category', { ...valid, category: ['Audio'] }, 'category'],
  ['operator key at the top', { ...valid, $where: 'sleep(1000)' }, '$where'],
  ['operator key in an array', { ...valid, tags: [{ $ne: 1 }] }, 'tags.0.$ne'],
  ['dotted key', { ...valid, 'price.amount': 1 }, 'price.amount'],
  ['operator key deep inside', { ...valid, image_url: { a: { $regex: '.*' } } }, 'image_url.a.$regex'],
];

const BAD_QUERIES: Array<[string, string]> = [
  ['price[$ne]=1', 'query.price[$ne]'],
  ['category[$gt]=', 'query.category[$gt]'],
  ['$where=1', 'query.$where'],
  ['category.name=x', 'query.category.name'],
  ['category=Audio&category=Wearables', 'query.category'],
  ['colour=red', 'query.colour'],
  ['min_price=300&max_price=100', 'query.min_price'],
  ['min_price=abc', 'query.min_price'],
  ['max_price=1.234', 'query.max_price'],
  ['min_price=-1', 'query.min_price'],
  ['sort=random', 'query.sort'],
  ['limit=0', 'query.limit'],
  ['limit=101', 'query.limit'],
  ['offset=-1', 'query.offset'],
  ['in_stock=maybe', 'query.in_stock'],
];

for (const adapter of storeAdapters()) {
  describe(`products API: validation and injection — ${adapter.name}`, function () {
    let t: TestApp;
    let existing: string;

    beforeEach(async function () {
      t = await startTestApp(adapter);
      existing = (await t.call('POST', '/api/v1/products', { token: t.admin, body: SEED_PRODUCTS[1] })).body
        ._id;
    });
    afterEach(async function () {
      await t.close();
    });

    const catalogSnapshot = async () => (await t.call('GET', '/api/v1/products?limit=100')).body;

    for (const [situation, body, path] of BAD_BODIES) {
      it(`when a create has ${situation}, then it is 400 naming ${path} and nothing is written`, async function () {
        // Arrange
        const before = await catalogSnapshot();

        // Act
        const reply = await t.call('POST', '/api/v1/products', { token: t.admin, body });

        // Assert
        expect(reply.status).to.equal(400);
        expect(reply.headers.get('content-type')).to.contain('application/problem+json');
        expect(reply.body.errors.map((e: { path: string }) => e.path)).to.include(path);
        expect(await catalogSnapshot()).to.deep.equal(before);
      });
    }

    for (const [query, path] of BAD_QUERIES) {
      it(`when a list has ?${query}, then it is 400 naming ${path}`, async function () {
        // Act
        const reply = await t.call('GET', `/api/v1/products?${query}`);

        // Assert
        expect(reply.status).to.equal(400);
        expect(reply.body.errors.map((e: { path: string }) => e.path)).to.include(path);
      });
    }

    it('when a form-encoded body nests an operator, then it is 400 naming it', async function () {
      // Act
      const reply = await t.call('POST', '/api/v1/products', {
        token: t.admin,
        rawBody: 'name[$ne]=x&category=a&description=b&price=1&quantity=1',
        contentType: 'application/x-www-form-urlencoded',
      });

      // Assert
      expect(reply.status).to.equal(400);
      expect(reply.body.errors.map((e: { path: string }) => e.path)).to.include('name.$ne');
    });

    it('when the body is not a JSON object, then it is 400 and nothing is written', async function () {
      // Arrange
      const before = await catalogSnapshot();

      // Act
      const array = await t.call('POST', '/api/v1/products', { token: t.admin, body: [valid] });
      const broken = await t.call('POST', '/api/v1/products', { token: t.admin, rawBody: '{"name":' });

      // Assert
      expect([array.status, broken.status]).to.deep.equal([400, 400]);
      expect(await catalogSnapshot()).to.deep.equal(before);
    });

    it('when prices sit on the limits, then 0.01 and 1000000 are accepted exactly', async function () {
      // Act
      const cheapest = await t.call('POST', '/api/v1/products', {
        token: t.admin,
        body: { ...valid, price: 0.01 },
      });
      const dearest = await t.call('POST', '/api/v1/products', {
        token: t.admin,
        body: { ...valid, price: 1_000_000 },
      });

      // Assert
      expect([cheapest.status, dearest.status]).to.deep.equal([201, 201]);
      expect([cheapest.body.price, dearest.body.price]).to.deep.equal([0.01, 1_000_000]);
    });

    it('when PUT or PATCH sends quantity, then it is 400 naming quantity and the product is unchanged', async function () {
      // Arrange
      const before = await t.call('GET', `/api/v1/products/${existing}`);
      const { quantity: _q, ...editable } = SEED_PRODUCTS[1];

      // Act
      const put = await t.call('PUT', `/api/v1/products/${existing}`, {
        token: t.admin,
        body: { ...editable, name: 'New', quantity: 5 },
      });
      const patch = await t.call('PATCH', `/api/v1/products/${existing}`, {
        token: t.admin,
        body: { name: 'New', quantity: 5 },
      });

      // Assert
      for (const reply of [put, patch]) {
        expect(reply.status).to.equal(400);
        expect(reply.body.errors).to.deep.include({
          path: 'quantity',
          message: 'is not editable: stock is managed by the inventory service',
        });
      }
      expect((await t.call('GET', `/api/v1/products/${existing}`)).body).to.deep.equal(before.body);
    });

    it('when a PATCH has an operator or an empty body, then it is 400 and the product is unchanged', async function () {
      // Arrange
      const before = await t.call('GET', `/api/v1/products/${existing}`);

      // Act
      const operator = await t.call('PATCH', `/api/v1/products/${existing}`, {
        token: t.admin,
        body: { price: { $inc: 1 } },
      });
      const empty = await t.call('PATCH', `/api/v1/products/${existing}`, { token: t.admin, body: {} });

      // Assert
      expect(operator.status).to.equal(400);
      expect(operator.body.errors.map((e: { path: string }) => e.path)).to.include('price.$inc');
      expect(empty.status).to.equal(400);
      expect((await t.call('GET', `/api/v1/products/${existing}`)).body).to.deep.equal(before.body);
    });
  });
}
