import { MongoClient, MongoServerError, ObjectId, type Document } from 'mongodb';
import type { Doc, DocumentStore, Filter, Update } from './document-store.js';

export interface MongoStoreOptions {
  url: string;
  /** Default: the database named in the URL's path, else `cartwheel`. */
  database?: string;
  collection: string;
  /** How long an operation waits for a reachable server (default 5 s). */
  serverSelectionTimeoutMs?: number;
}

/** The database a `mongodb://host:port,host2/name?opts` URL names, or undefined. */
export function databaseFromUrl(url: string): string | undefined {
  const name = url.replace(/^[a-z+]+:\/\/[^/]*\/?/i, '').split('?')[0];
  return name ? decodeURIComponent(name) : undefined;
}

const HEX_ID = /^[0-9a-f]{24}$/;
const toObjectId = (id: unknown): unknown =>
  typeof id === 'string' && HEX_ID.test(id) ? new ObjectId(id) : id;

/** Ids are ObjectIds in MongoDB and hex strings everywhere else. */
function toMongoFilter(filter: Filter): Document {
  if (!('_id' in filter)) return filter;
  const id = filter._id;
  const $in = (id as { $in?: unknown[] } | null)?.$in;
  return { ...filter, _id: Array.isArray($in) ? { $in: $in.map(toObjectId) } : toObjectId(id) };
}

function fromMongo(doc: Document | null): Doc | undefined {
  if (!doc) return undefined;
  return { ...doc, _id: doc._id instanceof ObjectId ? doc._id.toHexString() : String(doc._id) };
}

/** One write at a time: `serial(write)` runs after every write queued before it. */
function serialQueue(): <T>(write: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (write) => {
    const run = tail.then(write, write);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The MongoDB driver of the document store (FerretDB in tests). Every write is one
 * single-document operation, which MongoDB applies atomically.
 *
 * FerretDB 1.x over SQLite does not: it reads a document, applies the update in its own process
 * and writes the result back, so two concurrent updates of one document lose one of them, and a
 * conditional update can match twice (30 concurrent `$inc` of 1 gave 3; see FerretDB issue #3040).
 * On FerretDB this driver therefore sends its writes one at a time; that is correct for one
 * process (tests, a single replica) but not for several writers, which need a real MongoDB.
 *
 * @example const store = await openMongoStore({ url: config.MONGO_URL, collection: 'products' });
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<DocumentStore> {
  const client = new MongoClient(options.url, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
  });
  await client.connect();
  const db = client.db(options.database ?? databaseFromUrl(options.url) ?? 'cartwheel');
  const collection = db.collection(options.collection);
  const buildInfo = await db.admin().command({ buildInfo: 1 });
  const write: <T>(operation: () => Promise<T>) => Promise<T> =
    'ferretdbVersion' in buildInfo ? serialQueue() : (operation) => operation();

  return {
    async ensureIndexes(fields) {
      // Only the missing ones: FerretDB 1.24 panics ("slice bounds out of range [:4:3]") and drops
      // the connection when createIndexes names several indexes of which some already exist.
      const indexes = await collection
        .listIndexes()
        .toArray()
        .catch((error: unknown) => {
          // A collection that does not exist yet has no indexes (NamespaceNotFound).
          if (error instanceof MongoServerError && error.code === 26) return [];
          throw error;
        });
      const existing = new Set(indexes.map((index) => index.name as string));
      for (const field of fields) {
        if (!existing.has(`${field}_1`)) await collection.createIndex({ [field]: 1 }, { name: `${field}_1` });
      }
    },
    insertOne: (doc) =>
      write(async () => {
        try {
          await collection.insertOne({ ...doc, _id: toObjectId(doc._id) } as Document);
          return true;
        } catch (error) {
          if (error instanceof MongoServerError && error.code === 11000) return false;
          throw error;
        }
      }),
    findOne: async (filter) => fromMongo(await collection.findOne(toMongoFilter(filter))),
    async find(filter, options = {}) {
      let cursor = collection.find(toMongoFilter(filter));
      if (options.projection) cursor = cursor.project(options.projection);
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit !== undefined) cursor = cursor.limit(options.limit);
      return (await cursor.toArray()).map((doc) => fromMongo(doc) as Doc);
    },
    count: (filter) => collection.countDocuments(toMongoFilter(filter)),
    updateOne: (filter, update: Update) =>
      write(async () => (await collection.updateOne(toMongoFilter(filter), update)).matchedCount > 0),
    findOneAndUpdate: (filter, update) =>
      write(async () =>
        fromMongo(
          await collection.findOneAndUpdate(toMongoFilter(filter), update, { returnDocument: 'after' }),
        ),
      ),
    // An acknowledged write is as durable as the server's write concern makes it.
    flush: async () => undefined,
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
