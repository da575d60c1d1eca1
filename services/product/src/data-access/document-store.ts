/**
 * The few collection operations the catalog needs, in MongoDB's query and update language, with
 * ids as hex strings. Two drivers implement it: MongoDB (the official driver; FerretDB in tests)
 * and an embedded disk-persisted store. Only operators both understand are used: comparison,
 * `$in`, `$and` (NeDB has no `$all`); updates `$set`, `$inc`, `$push` with `$each`, and
 * `$pullAll` (FerretDB 1.x ignores `$pull` conditions, so entries are removed by exact value).
 */
export type Doc = { _id: string } & Record<string, unknown>;
export type Filter = Record<string, unknown>;
export type Update = Record<string, Record<string, unknown>>;
export type Sort = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: Sort;
  skip?: number;
  limit?: number;
  /** Inclusion projection: `{ outbox_count: 1 }`. */
  projection?: Record<string, 1>;
}

export interface DocumentStore {
  /** Creates single-field ascending indexes if missing. */
  ensureIndexes(fields: string[]): Promise<void>;
  /** False when a document with this `_id` exists. */
  insertOne(doc: Doc): Promise<boolean>;
  findOne(filter: Filter): Promise<Doc | undefined>;
  find(filter: Filter, options?: FindOptions): Promise<Doc[]>;
  count(filter: Filter): Promise<number>;
  /** Updates the first match atomically; false when nothing matched. */
  updateOne(filter: Filter, update: Update): Promise<boolean>;
  /** Updates the first match atomically and returns it as updated. */
  findOneAndUpdate(filter: Filter, update: Update): Promise<Doc | undefined>;
  /** Resolves once every write that has resolved is on disk (a no-op where writes are durable on return). */
  flush(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
