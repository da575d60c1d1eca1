// The one contract of the catalog repository port, run against every document store adapter.
import { createEvent } from '@cartwheel/kit';
import { expect } from 'chai';
import { eventually } from '@cartwheel/testing';
import type { CatalogRepository, ProductQuery } from '../../src/data-access/catalog.repository.js';
import type { DocumentStore } from '../../src/data-access/document-store.js';
import type { ProductEdit } from '../../src/domain/product.js';
import { queryWords } from '../../src/domain/search-keywords.js';
import { aProduct, anEvent, repositoryOn, type StoreAdapter } from '../support/catalog-fixtures.js';

const query = (fields: Partial<ProductQuery> = {}): ProductQuery => ({
  sort: 'created_at',
  limit: 100,
  offset: 0,
  ...fields,
});

export function catalogRepositoryContract(adapter: StoreAdapter): void {
  describe(`catalog repository contract — ${adapter.name}`, function () {
    let store: DocumentStore;
    let reopen: () => Promise<DocumentStore>;
    let cleanup: () => Promise<void>;
    let repo: CatalogRepository;

    beforeEach(async function () {
      ({ store, reopen, cleanup } = await adapter.open());
      repo = repositoryOn(store);
      await repo.init();
    });
    afterEach(async function () {
      await repo.close();
      await cleanup();
    });

    /** Inserts products (with a product.created event each) and returns their ids in order. */
    async function insert(...products: Array<Parameters<typeof aProduct>[1]>): Promise<string[]> {
      const ids: string[] = [];
      for (const fields of products) {
        const product = aProduct(repo.newId(), fields);
        expect(await repo.insert(product, [anEvent('product.created', product.id)])).to.equal(true);
        ids.push(product.id);
      }
      return ids;
    }
    /** Applies `changes` with one product.updated event (or the given one). */
    const edit = (id: string, changes: ProductEdit, event = anEvent('product.updated', id)) =>
      repo.update(id, () => ({ changes, updated_at: new Date(), events: [event] }));
    const names = async (q: Partial<ProductQuery>) =>
      (await repo.findMany(query(q))).items.map((p) => p.name);

    it('when products are inserted, then each has a distinct ObjectId and reads back as written', async function () {
      // Arrange
      const fresh = Array.from({ length: 200 }, () => repo.newId());
      const product = aProduct(repo.newId(), {
        name: 'Kettle',
        tags: ['tea'],
        image_url: 'https://img/k.png',
      });

      // Act
      await repo.insert(product, []);
      const again = await repo.insert(aProduct(product.id, { name: 'Imposter' }), []);

      // Assert
      expect(new Set(fresh).size).to.equal(200);
      for (const id of fresh) expect(id).to.match(/^[0-9a-f]{24}$/);
      expect(again).to.equal(false);
      expect(await repo.findById(product.id)).to.deep.equal(product);
      expect(await repo.findById(repo.newId())).to.equal(undefined);
    });

    it('when filtering, then category is exact but case-insensitive, price bounds are inclusive, tags all match and in_stock splits on zero', async function () {
      // Arrange
      await insert(
        { name: 'A', category: 'Electronics', price_cents: 10000, tags: ['Red', 'big'], quantity: 0 },
        { name: 'B', category: 'electronics', price_cents: 30000, tags: ['red'] },
        { name: 'C', category: 'Electronics Accessories', price_cents: 29999, tags: ['big'] },
        { name: 'D', category: 'Audio', price_cents: 9999, tags: ['red', 'big'] },
      );

      // Act + Assert
      expect(await names({ category: 'electronics' })).to.deep.equal(['A', 'B']);
      expect(await names({ minPriceCents: 10000, maxPriceCents: 30000 })).to.deep.equal(['A', 'B', 'C']);
      expect(await names({ minPriceCents: 10001 })).to.deep.equal(['B', 'C']);
      expect(await names({ tags: ['red', 'big'] })).to.deep.equal(['A', 'D']);
      expect(await names({ inStock: true })).to.deep.equal(['B', 'C', 'D']);
      expect(await names({ inStock: false })).to.deep.equal(['A']);
      expect(await names({ category: 'electronics', tags: ['big'] })).to.deep.equal(['A']);
    });

    it('when reading a batch by ids, then exactly those products come back', async function () {
      // Arrange
      const [a, , c] = await insert({ name: 'A' }, { name: 'B' }, { name: 'C' });

      // Act
      const page = await repo.findMany(query({ ids: [c, a, repo.newId()] }));

      // Assert
      expect(page.items.map((p) => p.name)).to.deep.equal(['A', 'C']);
      expect(page.total).to.equal(2);
    });

    it('when searching, then every word must match a token or a token prefix of name, description, category or tags', async function () {
      // Arrange
      await insert(
        {
          name: 'Wireless Noise-Cancelling Headphones',
          description: 'Premium headphones with active noise cancellation',
          category: 'Audio',
        },
        {
          name: 'Smart Fitness Watch',
          description: 'Waterproof fitness tracker with heart rate monitoring',
          category: 'Wearables',
          tags: ['Café-Racer'],
        },
      );
      const search = (text: string) => names({ words: queryWords(text) });

      // Act + Assert
      expect(await search('noise cancel')).to.deep.equal(['Wireless Noise-Cancelling Headphones']);
      expect(await search('WATCH heart')).to.deep.equal(['Smart Fitness Watch']);
      expect(await search('cafe racer')).to.deep.equal(['Smart Fitness Watch']);
      expect(await search('audio premium wireless')).to.deep.equal(['Wireless Noise-Cancelling Headphones']);
      expect(await search('with')).to.have.length(2);
      expect(await search('noise heart')).to.deep.equal([]);
      expect(await search('ancel')).to.deep.equal([]);
    });

    it('when sorting, then price, name and creation orders hold and ties keep a stable id order', async function () {
      // Arrange
      const ids = await insert(
        { name: 'banana', price_cents: 500 },
        { name: 'Apple', price_cents: 900 },
        { name: 'cherry', price_cents: 500 },
      );

      // Act + Assert
      expect(await names({ sort: 'price' })).to.deep.equal(['banana', 'cherry', 'Apple']);
      expect(await names({ sort: '-price' })).to.deep.equal(['Apple', 'banana', 'cherry']);
      expect(await names({ sort: 'name' })).to.deep.equal(['Apple', 'banana', 'cherry']);
      expect(await names({ sort: '-name' })).to.deep.equal(['cherry', 'banana', 'Apple']);
      expect(await names({ sort: '-created_at' })).to.deep.equal(['cherry', 'Apple', 'banana']);
      expect((await repo.findMany(query())).items.map((p) => p.id)).to.deep.equal(ids);
    });

    it('when paging, also past the end, then the total ignores limit and offset and the pages cover every match once', async function () {
      // Arrange
      await insert(
        ...Array.from({ length: 23 }, (_, i) => ({ name: `P${i}`, price_cents: 100 * (i % 4) + 100 })),
      );
      const seen: string[] = [];

      // Act
      // Full pages, the last (short) page, and an empty page past the end.
      for (let offset = 0; offset < 40; offset += 10) {
        const page = await repo.findMany(query({ sort: 'price', limit: 10, offset }));
        expect(page.total).to.equal(23);
        seen.push(...page.items.map((p) => p.name));
      }

      // Assert
      expect(seen).to.have.length(23);
      expect(new Set(seen).size).to.equal(23);
    });

    it('when a product is removed, then no read returns it, a second remove finds nothing, and the store is not empty', async function () {
      // Arrange
      expect(await repo.isEmpty()).to.equal(true);
      const [gone, kept] = await insert({ name: 'Gone' }, { name: 'Kept' });

      // Act
      const first = await repo.remove(gone, new Date(), [anEvent('product.deleted', gone)]);
      const second = await repo.remove(gone, new Date(), [anEvent('product.deleted', gone)]);

      // Assert
      expect([first, second]).to.deep.equal([true, false]);
      expect(await repo.findById(gone)).to.equal(undefined);
      expect((await repo.findMany(query({ ids: [gone, kept] }))).items.map((p) => p.id)).to.deep.equal([
        kept,
      ]);
      expect(
        await repo.update(gone, () => ({ changes: { name: 'x' }, updated_at: new Date(), events: [] })),
      ).to.equal(undefined);
      expect(await repo.isEmpty()).to.equal(false);
    });

    it('when different fields are updated concurrently, then every change lands, the version counts them and each wrote its event', async function () {
      // Arrange
      const [id] = await insert({ name: 'Original', tags: ['a'] });
      const edits = [
        { name: 'Renamed' },
        { description: 'New description' },
        { category: 'Tools' },
        { price_cents: 4242 },
        { tags: ['b', 'c'] },
        { image_url: 'https://img/x.png' },
      ];

      // Act
      const results = await Promise.all(
        edits.map((changes) => edit(id, changes, anEvent('product.updated', id, changes))),
      );
      const unchanged = await repo.update(id, () => undefined);

      // Assert
      expect(results.every((r) => r?.updated)).to.equal(true);
      expect(unchanged?.updated).to.equal(false);
      const product = await repo.findById(id);
      expect(product).to.include({
        name: 'Renamed',
        description: 'New description',
        category: 'Tools',
        price_cents: 4242,
        image_url: 'https://img/x.png',
        version: 7,
      });
      expect(product?.tags).to.deep.equal(['b', 'c']);
      expect(await names({ category: 'tools', words: ['renamed'] })).to.deep.equal(['Renamed']);
      expect((await repo.outboxBacklog()).count).to.equal(7);
    });

    it('when stock versions arrive out of order or twice, then only a newer version changes the quantity', async function () {
      // Arrange
      const [id] = await insert({ quantity: 50 });

      // Act
      const applied = [
        await repo.applyStock(id, 47, 3),
        await repo.applyStock(id, 49, 2),
        await repo.applyStock(id, 47, 3),
        await repo.applyStock(id, 45, 4),
        await repo.applyStock(repo.newId(), 1, 9),
      ];

      // Assert
      expect(applied).to.deep.equal([true, false, false, true, false]);
      expect(await repo.findById(id)).to.include({ quantity: 45, stock_version: 4, version: 1 });
    });

    it('when the relay claims outboxes, then it gets each product’s events in write order and a claimed outbox is not claimed twice', async function () {
      // Arrange
      const [id] = await insert({ name: 'Ordered' });
      await edit(id, { name: 'Second' });
      await repo.remove(id, new Date(), [anEvent('product.deleted', id)]);

      // Act
      const claims = await repo.claimOutbox(100, 60_000);
      const meanwhile = await repo.claimOutbox(100, 60_000);

      // Assert
      expect(claims).to.have.length(1);
      expect(claims[0].productId).to.equal(id);
      expect(claims[0].entries.map((e) => e.event.type)).to.deep.equal([
        'product.created',
        'product.updated',
        'product.deleted',
      ]);
      expect(claims[0].entries.every((e) => e.topic === 'products' && e.event.subject === id)).to.equal(true);
      expect(meanwhile).to.deep.equal([]);
    });

    it('when claims are limited, then a round takes at most that many events and the next round takes only the others', async function () {
      // Arrange
      const ids = await insert({ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }, { name: 'E' });

      // Act
      const first = await repo.claimOutbox(2, 60_000);
      const second = await repo.claimOutbox(100, 60_000);

      // Assert
      expect(first).to.have.length(2);
      expect(second).to.have.length(3);
      expect([...first, ...second].map((claim) => claim.productId)).to.have.members(ids);
    });

    it('when a claim publishes part of its events while new ones are written, then only the published ones leave the outbox', async function () {
      // Arrange
      const [id] = await insert({ name: 'Busy' });
      await edit(id, { name: 'Busier' });
      const [claim] = await repo.claimOutbox(100, 60_000);
      const written = anEvent('product.updated', id);
      await edit(id, { name: 'Busiest' }, written);

      // Act
      await repo.releaseOutbox(claim, claim.entries.slice(0, 1));
      const [next] = await repo.claimOutbox(100, 60_000);

      // Assert
      expect(next.entries.map((e) => e.id)).to.deep.equal([claim.entries[1].id, written.id]);
      expect((await repo.outboxBacklog()).count).to.equal(2);
      await repo.releaseOutbox(next, next.entries);
      expect((await repo.outboxBacklog()).count).to.equal(0);
      expect(await repo.claimOutbox(100, 60_000)).to.deep.equal([]);
    });

    it('when events wait in outboxes, then the backlog counts them and ages by the oldest event, and is empty once they are released', async function () {
      // Arrange: a product whose update was written 90 s ago and is still pending, and a fresh one.
      await insert({ name: 'Waiting' }, { name: 'Fresh' });
      const [claim] = await repo.claimOutbox(1, 60_000);
      await repo.releaseOutbox(claim, claim.entries);
      const early = createEvent({
        source: '/test/product',
        type: 'product.updated',
        subject: claim.productId,
        data: {},
        time: new Date(Date.now() - 90_000),
      });
      await edit(claim.productId, { name: 'Renamed' }, early);

      // Act
      const backlog = await repo.outboxBacklog();

      // Assert: the other product's product.created and the early update are pending.
      expect(backlog.count).to.equal(2);
      expect(backlog.oldestAgeSeconds).to.be.within(90, 150);
      for (const pending of await repo.claimOutbox(100, 60_000))
        await repo.releaseOutbox(pending, pending.entries);
      expect(await repo.outboxBacklog()).to.deep.equal({ count: 0, oldestAgeSeconds: 0 });
    });

    it('when a lease expires, then another claim takes the outbox over and the stale holder can no longer release it', async function () {
      // Arrange
      const [id] = await insert({ name: 'Leased' });
      // Short, but not so short that a slow scan uses up the third of it a round may spend
      // claiming (30 ms gave no claim at all under CI load).
      const [stale] = await repo.claimOutbox(100, 1_500);
      expect(stale?.productId).to.equal(id);

      // Act
      let takeover: Awaited<ReturnType<CatalogRepository['claimOutbox']>> = [];
      await eventually('the lease expires and the outbox is claimed again', async () => {
        takeover = await repo.claimOutbox(100, 60_000);
        return takeover.length === 1;
      });
      await repo.releaseOutbox(stale, stale.entries);

      // Assert
      expect(takeover[0].productId).to.equal(id);
      expect(takeover[0].owner).to.not.equal(stale.owner);
      expect((await repo.outboxBacklog()).count).to.equal(1);
      await repo.releaseOutbox(takeover[0], takeover[0].entries);
      expect((await repo.outboxBacklog()).count).to.equal(0);
    });

    it('when the store is closed and opened again, then products, stock and pending events are still there', async function () {
      // Arrange
      const [id] = await insert({ name: 'Durable', quantity: 5 });
      await repo.applyStock(id, 4, 1);
      await edit(id, { price_cents: 777 });
      const before = await repo.findById(id);

      // Act
      await repo.close();
      repo = repositoryOn(await reopen());
      await repo.init();

      // Assert
      expect(await repo.findById(id)).to.deep.equal(before);
      expect(before).to.include({ quantity: 4, price_cents: 777, version: 2 });
      const [claim] = await repo.claimOutbox(100, 60_000);
      expect(claim.entries.map((e) => e.event.type)).to.deep.equal(['product.created', 'product.updated']);
    });
  });
}
