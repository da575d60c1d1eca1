// Seed 000 steps 3.1–4.4, search, paging and batch reads, on both catalog stores.
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/app-fixture.js';
import { storeAdapters } from '../../support/catalog-fixtures.js';
import { SEED_PRODUCTS } from '../../support/http.js';

const seedFields = (product: Record<string, unknown>) => ({
  name: product.name,
  description: product.description,
  category: product.category,
  price: product.price,
  quantity: product.quantity,
});

for (const adapter of storeAdapters()) {
  describe(`products API: browsing — ${adapter.name}`, function () {
    let t: TestApp;

    beforeEach(async function () {
      t = await startTestApp(adapter);
    });
    afterEach(async function () {
      await t.close();
    });

    async function createSeedProducts(): Promise<string[]> {
      const ids: string[] = [];
      for (const product of SEED_PRODUCTS) {
        const reply = await t.call('POST', '/api/v1/products/', { token: t.admin, body: product });
        expect(reply.status).to.equal(201);
        ids.push(reply.body._id);
      }
      return ids;
    }

    it('when an admin creates the seed products (steps 3.1–3.3), then each is 201 with an ObjectId and the seed fields', async function () {
      // Act
      const replies = [];
      for (const product of SEED_PRODUCTS) {
        replies.push(await t.call('POST', '/api/v1/products/', { token: t.admin, body: product }));
      }

      // Assert
      for (const [i, reply] of replies.entries()) {
        expect(reply.status).to.equal(201);
        expect(reply.body).to.include(SEED_PRODUCTS[i]);
        expect(reply.body).to.include({ currency: 'USD', image_url: null });
        expect(reply.body.tags).to.deep.equal([]);
        expect(reply.body._id).to.match(/^[0-9a-f]{24}$/);
        expect(reply.body.created_at).to.equal(reply.body.updated_at);
        expect(new Date(reply.body.created_at).toISOString()).to.equal(reply.body.created_at);
        expect(reply.headers.get('location')).to.equal(`/api/v1/products/${reply.body._id}`);
      }
      expect(new Set(replies.map((r) => r.body._id)).size).to.equal(3);
    });

    it('when listing all products (step 4.1), then the three come back in creation order with the seed fields', async function () {
      // Arrange
      const ids = await createSeedProducts();

      // Act
      const reply = await t.call('GET', '/api/v1/products/', { token: t.admin });
      const anonymous = await t.call('GET', '/api/v1/products');

      // Assert
      expect(reply.status).to.equal(200);
      expect(reply.headers.get('x-total-count')).to.equal('3');
      expect(reply.body.map(seedFields)).to.deep.equal(SEED_PRODUCTS);
      expect(reply.body.map((p: { _id: string }) => p._id)).to.deep.equal(ids);
      expect(anonymous.body).to.deep.equal(reply.body);
    });

    it('when filtering by category Electronics (step 4.3), then only the smartphone comes back, whatever the case', async function () {
      // Arrange
      const [phone] = await createSeedProducts();

      // Act
      const exact = await t.call('GET', '/api/v1/products/?category=Electronics', { token: t.admin });
      const lower = await t.call('GET', '/api/v1/products?category=electronics');

      // Assert
      expect(exact.body.map(seedFields)).to.deep.equal([SEED_PRODUCTS[0]]);
      expect(exact.body[0]._id).to.equal(phone);
      expect(lower.body).to.deep.equal(exact.body);
      expect(exact.headers.get('x-total-count')).to.equal('1');
    });

    it('when filtering by price 100–300 (step 4.4), then the headphones and the watch come back', async function () {
      // Arrange
      await createSeedProducts();

      // Act
      const reply = await t.call('GET', '/api/v1/products/?min_price=100&max_price=300', { token: t.admin });
      const inclusive = await t.call('GET', '/api/v1/products?min_price=179.99&max_price=249.99');

      // Assert
      expect(reply.body.map(seedFields)).to.deep.equal([SEED_PRODUCTS[1], SEED_PRODUCTS[2]]);
      expect(inclusive.body.map((p: { name: string }) => p.name)).to.deep.equal([
        SEED_PRODUCTS[1].name,
        SEED_PRODUCTS[2].name,
      ]);
    });

    it('when searching, then every word must match name, description, category or tags, and punctuation is only text', async function () {
      // Arrange
      await createSeedProducts();
      const names = async (path: string) => {
        const reply = await t.call('GET', path);
        expect(reply.status, path).to.equal(200);
        expect(reply.headers.get('x-total-count'), path).to.equal(String(reply.body.length));
        return reply.body.map((p: { name: string }) => p.name);
      };

      // Act + Assert
      expect(await names('/api/v1/products?q=noise%20cancel')).to.deep.equal([SEED_PRODUCTS[1].name]);
      expect(await names('/api/v1/products/search?q=noise+cancel')).to.deep.equal([SEED_PRODUCTS[1].name]);
      expect(await names('/api/v1/products/search?q=watch%20heart')).to.deep.equal([SEED_PRODUCTS[2].name]);
      expect(await names('/api/v1/products/search?q=WEARABLES')).to.deep.equal([SEED_PRODUCTS[2].name]);
      expect(await names('/api/v1/products/search?q=watch%20camera')).to.deep.equal([]);
      for (const text of ['(', '*', '.*', '[', '$where', '{"$gt":""}', '\\']) {
        expect(await names(`/api/v1/products/search?q=${encodeURIComponent(text)}`), text).to.deep.equal([]);
      }
      expect(await names('/api/v1/products/search?q=premium&category=audio')).to.deep.equal([
        SEED_PRODUCTS[1].name,
      ]);
    });

    it('when paging, then limit and offset slice the list and X-Total-Count is the total every time', async function () {
      // Arrange
      for (let i = 0; i < 7; i += 1) {
        const body = {
          name: `Mug ${i}`,
          description: 'Ceramic',
          category: 'Mugs',
          price: 10 + i,
          quantity: i,
        };
        await t.call('POST', '/api/v1/products', { token: t.admin, body });
      }
      await createSeedProducts();

      // Act
      const pages = [];
      for (const offset of [0, 3, 6]) {
        pages.push(
          await t.call('GET', `/api/v1/products?category=mugs&sort=-price&limit=3&offset=${offset}`),
        );
      }
      const defaults = await t.call('GET', '/api/v1/products');

      // Assert
      expect(pages.map((p) => p.body.length)).to.deep.equal([3, 3, 1]);
      expect(pages.map((p) => p.headers.get('x-total-count'))).to.deep.equal(['7', '7', '7']);
      expect(pages.flatMap((p) => p.body.map((m: { price: number }) => m.price))).to.deep.equal([
        16, 15, 14, 13, 12, 11, 10,
      ]);
      expect(defaults.headers.get('x-total-count')).to.equal('10');
      expect(defaults.body).to.have.length(10);
    });

    it('when reading a batch by ids, then exactly those products come back and malformed ids simply do not match', async function () {
      // Arrange
      const [phone, , watch] = await createSeedProducts();

      // Act
      const reply = await t.call('GET', `/api/v1/products?ids=${watch},not-an-id,${phone.toUpperCase()}`);
      const none = await t.call('GET', '/api/v1/products?ids=nope');

      // Assert
      expect(reply.body.map((p: { _id: string }) => p._id)).to.deep.equal([phone, watch]);
      expect(none.status).to.equal(200);
      expect(none.body).to.deep.equal([]);
    });

    it('when filtering by tags and stock, then products must carry every tag and in_stock splits on zero', async function () {
      // Arrange
      const product = (name: string, tags: string[], quantity: number) => ({
        name,
        description: '',
        category: 'Tea',
        price: 5,
        quantity,
        tags,
      });
      for (const body of [
        product('Green', ['Loose', 'organic'], 0),
        product('Black', ['loose'], 3),
        product('Mint', ['organic'], 9),
      ]) {
        await t.call('POST', '/api/v1/products', { token: t.admin, body });
      }
      const names = async (path: string) =>
        (await t.call('GET', path)).body.map((p: { name: string }) => p.name);

      // Act + Assert
      expect(await names('/api/v1/products?tags=loose,ORGANIC')).to.deep.equal(['Green']);
      expect(await names('/api/v1/products?tags=loose&in_stock=true')).to.deep.equal(['Black']);
      expect(await names('/api/v1/products?in_stock=false')).to.deep.equal(['Green']);
      expect(await names('/api/v1/products?sort=name')).to.deep.equal(['Black', 'Green', 'Mint']);
    });
  });
}
