import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import NeDB from '@seald-io/nedb';
import type { Doc, DocumentStore, Filter, Update } from './document-store.js';

// The package is CommonJS (`module.exports = Datastore`) but its typings say `export default`,
// so under NodeNext TypeScript types the default import as the module; at run time it is the class.
const Datastore = NeDB as unknown as typeof NeDB.default;

export interface EmbeddedStoreOptions {
  /** The data file, e.g. `.data/product/catalog.db` (its folder is created). */
  filename: string;
  /** Rewrites the append-only file this often (default 10 min; it is also compacted at every load). */
  compactionIntervalMs?: number;
}

/** Emulates `$pullAll` (NeDB has none) as a `$set` of the array without the given values. */
function withoutPullAll(doc: Doc, update: Update): Update {
  const { $pullAll, ...rest } = update;
  if (!$pullAll) return update;
  const $set: Record<string, unknown> = { ...rest.$set };
  for (const [field, values] of Object.entries($pullAll)) {
    const current = Array.isArray(doc[field]) ? (doc[field] as unknown[]) : [];
    $set[field] = current.filter((item) => !(values as unknown[]).some((v) => isDeepStrictEqual(item, v)));
  }
  return { ...rest, $set };
}

/**
 * The embedded driver of the document store: NeDB (`@seald-io/nedb`), MongoDB's query language
 * over an in-memory copy persisted to an append-only file, reloaded at start. Operations run one
 * at a time, so a read-modify-write (the `$pullAll` emulation) is atomic.
 *
 * NeDB changes memory before it appends to the file and does not undo that when the append fails;
 * this driver then reloads the file so memory never holds a change the disk lacks, and refuses
 * every further operation if even that fails. NeDB does not fsync appends; `flush()` does, and the
 * outbox relay calls it before publishing, so no event leaves before its change is on disk.
 *
 * @example const store = await openEmbeddedStore({ filename: '.data/product/catalog.db' });
 */
export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<DocumentStore> {
  await mkdir(path.dirname(options.filename), { recursive: true });
  const db = new Datastore<Record<string, unknown>>({ filename: options.filename });
  await db.loadDatabaseAsync();
  db.setAutocompactionInterval(options.compactionIntervalMs ?? 10 * 60_000);

  let broken: Error | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(() => {
      if (broken) throw broken;
      return operation();
    });
    tail = run.catch(() => undefined);
    return run;
  };
  const write = <T>(operation: () => Promise<T>): Promise<T> =>
    exclusive(async () => {
      try {
        return await operation();
      } catch (error) {
        if ((error as { errorType?: string }).errorType === 'uniqueViolated') throw error;
        await db.loadDatabaseAsync().catch((reloadError: unknown) => {
          broken = new Error(`the catalog file ${options.filename} could not be reloaded; restart`, {
            cause: reloadError,
          });
        });
        throw error;
      }
    });

  const updateFirst = async (filter: Filter, update: Update): Promise<Doc | undefined> => {
    const doc = (await db.findOneAsync(filter)) as Doc | null;
    if (!doc) return undefined;
    const { affectedDocuments } = await db.updateAsync({ _id: doc._id }, withoutPullAll(doc, update), {
      returnUpdatedDocs: true,
    });
    return (affectedDocuments as Doc | null) ?? undefined;
  };

  return {
    ensureIndexes: (fields) =>
      exclusive(async () => {
        for (const fieldName of fields) await db.ensureIndexAsync({ fieldName });
      }),
    insertOne: (doc) =>
      write(async () => {
        try {
          await db.insertAsync(doc);
          return true;
        } catch (error) {
          if ((error as { errorType?: string }).errorType === 'uniqueViolated') return false;
          throw error;
        }
      }),
    findOne: (filter) => exclusive(async () => ((await db.findOneAsync(filter)) as Doc | null) ?? undefined),
    find: (filter, options = {}) =>
      exclusive(async () => {
        let cursor = db.findAsync(filter, options.projection ?? {});
        if (options.sort) cursor = cursor.sort(options.sort);
        if (options.skip) cursor = cursor.skip(options.skip);
        if (options.limit !== undefined) cursor = cursor.limit(options.limit);
        return (await cursor) as unknown as Doc[];
      }),
    count: (filter) => exclusive(async () => Number(await db.countAsync(filter))),
    updateOne: (filter, update) => write(async () => (await updateFirst(filter, update)) !== undefined),
    findOneAndUpdate: (filter, update) => write(() => updateFirst(filter, update)),
    flush: () =>
      exclusive(async () => {
        const handle = await open(options.filename, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }),
    ping: () => exclusive(async () => undefined),
    close: () =>
      exclusive(async () => {
        db.stopAutocompaction();
        await db.compactDatafileAsync();
      }),
  };
}
