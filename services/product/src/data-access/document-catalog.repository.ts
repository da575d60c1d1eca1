import { randomUUID } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { conflict, injectTraceContext, type CloudEvent } from '@cartwheel/kit';
import type { Product } from '../domain/product.js';
import type { CatalogRepository, OutboxClaim, OutboxEntry } from './catalog.repository.js';
import {
  derivedFields,
  fromDocument,
  INDEXED_FIELDS,
  LIVE,
  NO_LEASE,
  toDocument,
  toFilter,
  toSort,
} from './catalog-documents.js';
import type { Doc, DocumentStore, Update } from './document-store.js';

export interface DocumentCatalogOptions {
  /** The topic the products' events go to (`products`). */
  topic: string;
  /** Reads-and-retries of one update under contention before it gives up with a 409 (default 20). */
  maxUpdateAttempts?: number;
}

const PRODUCT_FIELDS = Object.fromEntries(
  [
    'name',
    'description',
    'category',
    'price_cents',
    'currency',
    'quantity',
    'tags',
    'image_url',
    'created_at',
    'updated_at',
    'version',
    'stock_version',
  ].map((field) => [field, 1 as const]),
);

/**
 * The catalog over a document store (MongoDB or embedded). A change and its events are one
 * single-document write: the events go into the product's own `outbox` array, which the relay
 * leases (`outbox_lease`/`outbox_owner`), publishes, and empties by exact value.
 *
 * @example const catalog = documentCatalogRepository(await openMongoStore({ url, collection: 'products' }), { topic: 'products' });
 */
export function documentCatalogRepository(
  store: DocumentStore,
  options: DocumentCatalogOptions,
): CatalogRepository {
  const maxUpdateAttempts = options.maxUpdateAttempts ?? 20;

  /** Outbox entries for `events`, with the writer's trace context. */
  const outboxEntries = (events: CloudEvent[]): OutboxEntry[] => {
    // Captured now, inside the request's span, so the consumer's span links to the request.
    const headers = injectTraceContext();
    return events.map((event) => ({ id: event.id, topic: options.topic, event, headers }));
  };
  /** `$push`/`$inc` that append events to a product's outbox. */
  const enqueue = (events: CloudEvent[]) => ({
    $push: { outbox: { $each: outboxEntries(events) } },
    $inc: { outbox_count: events.length },
  });

  return {
    newId: () => new ObjectId().toHexString(),
    init: () => store.ensureIndexes(INDEXED_FIELDS),
    insert: (product, events) =>
      store.insertOne({ ...toDocument(product), outbox: outboxEntries(events), outbox_count: events.length }),
    async findById(id) {
      const doc = await store.findOne({ _id: id, ...LIVE });
      return doc ? fromDocument(doc) : undefined;
    },
    async findMany(query) {
      const filter = toFilter(query);
      const docs = await store.find(filter, {
        sort: toSort(query.sort),
        skip: query.offset,
        limit: query.limit,
        projection: PRODUCT_FIELDS,
      });
      // A page that is not full and not past the end is the last one: its end is the total,
      // without a second pass over the collection.
      const lastPage = docs.length < query.limit && (docs.length > 0 || query.offset === 0);
      const total = lastPage ? query.offset + docs.length : await store.count(filter);
      return { items: docs.map(fromDocument), total };
    },
    async update(id, decide) {
      for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
        const doc = await store.findOne({ _id: id, ...LIVE });
        if (!doc) return undefined;
        const current = fromDocument(doc);
        const decision = decide(current);
        if (!decision) return { product: current, updated: false };
        const next: Product = { ...current, ...decision.changes };
        const { $push, $inc } = enqueue(decision.events);
        // Conditional on the version read: a concurrent change makes this match nothing, and the
        // loop decides again on the fresh product, so no change is lost and events say what changed.
        const updated = await store.findOneAndUpdate(
          { _id: id, version: current.version, ...LIVE },
          {
            $set: { ...decision.changes, ...derivedFields(next), updated_at: decision.updated_at },
            $inc: { ...$inc, version: 1 },
            $push,
          },
        );
        if (updated) return { product: fromDocument(updated), updated: true };
      }
      throw conflict('product_busy', 'The product is being changed by other requests; try again');
    },
    async remove(id, deletedAt, events) {
      const { $push, $inc } = enqueue(events);
      return store.updateOne(
        { _id: id, ...LIVE },
        { $set: { deleted_at: deletedAt, updated_at: deletedAt }, $inc: { ...$inc, version: 1 }, $push },
      );
    },
    applyStock: (id, quantity, version) =>
      store.updateOne(
        { _id: id, stock_version: { $lt: version } },
        { $set: { quantity, stock_version: version } },
      ),
    isEmpty: async () => (await store.find({}, { limit: 1, projection: { _id: 1 } })).length === 0,

    async claimOutbox(limit, leaseMs) {
      const started = Date.now();
      const claimable = () => ({ outbox_count: { $gt: 0 }, outbox_lease: { $lt: new Date() } });
      // One query for candidates, then one conditional write per product: a product another
      // relay leased in between is skipped. Products, not events, are limited: each has ≥ 1.
      const candidates = await store.find(claimable(), { limit, projection: { _id: 1 } });
      const claims: OutboxClaim[] = [];
      let events = 0;
      for (const { _id } of candidates) {
        // Stop well inside the lease, so no claim of this round expires before it is published.
        if (events >= limit || Date.now() - started > leaseMs / 3) break;
        const owner = randomUUID();
        const doc: Doc | undefined = await store.findOneAndUpdate(
          { _id, ...claimable() },
          { $set: { outbox_lease: new Date(Date.now() + leaseMs), outbox_owner: owner } },
        );
        if (!doc) continue;
        const entries = doc.outbox as OutboxEntry[];
        claims.push({ productId: doc._id, owner, entries });
        events += entries.length;
      }
      // Nothing leaves before the change that wrote it is on disk.
      if (claims.length > 0) await store.flush();
      return claims;
    },
    async releaseOutbox(claim, published) {
      const release: Update = { $set: { outbox_lease: NO_LEASE, outbox_owner: null } };
      if (published.length > 0) {
        release.$pullAll = { outbox: published };
        release.$inc = { outbox_count: -published.length };
      }
      await store.updateOne({ _id: claim.productId, outbox_owner: claim.owner }, release);
    },
    async recordOutboxFailure(productIds, error) {
      for (const id of productIds) {
        await store.updateOne({ _id: id }, { $inc: { outbox_attempts: 1 }, $set: { outbox_error: error } });
      }
    },
    async outboxBacklog() {
      const docs = await store.find(
        { outbox_count: { $gt: 0 } },
        { projection: { outbox: 1, outbox_count: 1 } },
      );
      let count = 0;
      let oldest = Infinity;
      for (const doc of docs) {
        count += doc.outbox_count as number;
        // Entries are appended, so a product's first pending entry is its oldest.
        const [first] = doc.outbox as OutboxEntry[];
        if (first) oldest = Math.min(oldest, Date.parse(first.event.time));
      }
      const oldestAgeSeconds = Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0;
      return { count, oldestAgeSeconds };
    },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
