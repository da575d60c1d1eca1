// What must hold after a load or a fault, read from where the truth is, the services' own
// databases: no oversell, stock adds up, every acknowledged order exists and was applied. The
// event side (outboxes, Kafka offsets per group, DLQs) is in event-check.ts.
import { createDatabase, type Knex } from '@cartwheel/kit';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Cluster, DatabaseService } from './cluster.js';
import { until, type SeededProduct } from './shop.js';

/** Read-only connections to the cluster's three PostgreSQL databases and an admin on its Kafka. */
export interface Inspector {
  db: Record<DatabaseService, Knex>;
  kafka: Admin;
  close(): Promise<void>;
}

/** An admin client on the given brokers (connect it before use). */
export const kafkaAdmin = (brokers: string[]): Admin =>
  new Kafka({ brokers, clientId: 'bench-inspector', logLevel: logLevel.NOTHING }).admin();

export async function inspect(cluster: Cluster, brokers: string[]): Promise<Inspector> {
  const db = {
    user: createDatabase({ url: cluster.databases.user, poolMax: 2 }),
    inventory: createDatabase({ url: cluster.databases.inventory, poolMax: 2 }),
    order: createDatabase({ url: cluster.databases.order, poolMax: 2 }),
  };
  const kafka = kafkaAdmin(brokers);
  await kafka.connect();
  return {
    db,
    kafka,
    async close() {
      await kafka.disconnect();
      await Promise.all(Object.values(db).map((knex) => knex.destroy()));
    },
  };
}

/** A count as pg returns it (string or number) as a number; absent → 0. */
export const num = (value: unknown): number => Number(value ?? 0);

export interface StockRow {
  product_id: string;
  initial: number;
  available: number;
  reserved: number;
  committed: number;
  /** Units in the order database's orders that are not cancelled. */
  ordered: number;
}

export interface StockCheck {
  held: boolean;
  /** available + reserved + committed over all products, and the initial total. */
  totals: { initial: number; available: number; reserved: number; committed: number; ordered: number };
  /** Products where a rule broke, with their figures. */
  broken: Array<StockRow & { rule: string }>;
  /** Products whose stock ran out during the run (available 0). */
  soldOut: number;
}

/**
 * For every product: available ≥ 0 (no oversell), available + reserved + committed = initial, and
 * reserved + committed = the units of its live orders in the order database.
 */
export async function checkStock(inspector: Inspector, products: SeededProduct[]): Promise<StockCheck> {
  const levels = (await inspector.db
    .inventory('inventory')
    .select('product_id', 'available_quantity', 'reserved_quantity')) as Array<{
    product_id: string;
    available_quantity: number;
    reserved_quantity: number;
  }>;
  const committed = (await inspector.db
    .inventory('reservations')
    .where('state', 'committed')
    .select('product_id')
    .sum({ units: 'quantity' })
    .groupBy('product_id')) as Array<{ product_id: string; units: string }>;
  const ordered = (await inspector.db
    .order('order_items as i')
    .join('orders as o', 'o.id', 'i.order_id')
    .whereNot('o.status', 'cancelled')
    .select('i.product_id')
    .sum({ units: 'i.quantity' })
    .groupBy('i.product_id')) as Array<{ product_id: string; units: string }>;
  const levelOf = new Map(levels.map((row) => [row.product_id, row]));
  const committedOf = new Map(committed.map((row) => [row.product_id, num(row.units)]));
  const orderedOf = new Map(ordered.map((row) => [row.product_id, num(row.units)]));
  const totals = { initial: 0, available: 0, reserved: 0, committed: 0, ordered: 0 };
  const broken: StockCheck['broken'] = [];
  let soldOut = 0;
  for (const product of products) {
    const level = levelOf.get(product.id);
    const row: StockRow = {
      product_id: product.id,
      initial: product.stock,
      available: level?.available_quantity ?? Number.NaN,
      reserved: level?.reserved_quantity ?? Number.NaN,
      committed: committedOf.get(product.id) ?? 0,
      ordered: orderedOf.get(product.id) ?? 0,
    };
    totals.initial += row.initial;
    totals.available += row.available;
    totals.reserved += row.reserved;
    totals.committed += row.committed;
    totals.ordered += row.ordered;
    if (row.available === 0) soldOut++;
    if (!level) broken.push({ ...row, rule: 'no inventory record' });
    else if (row.available < 0) broken.push({ ...row, rule: 'oversold: available below zero' });
    else if (row.available + row.reserved + row.committed !== row.initial)
      broken.push({ ...row, rule: 'available + reserved + committed ≠ initial' });
    else if (row.reserved + row.committed !== row.ordered)
      broken.push({ ...row, rule: 'reserved + committed ≠ units in live orders' });
  }
  return { held: broken.length === 0, totals, broken, soldOut };
}

/** Waits (up to `timeoutMs`) until `check` holds (or can no longer), then returns its last answer. */
export async function settled<T extends { held: boolean; final?: boolean }>(
  what: string,
  check: () => Promise<T>,
  timeoutMs: number,
): Promise<{ result: T; waitedMs: number }> {
  const started = Date.now();
  let result: T | undefined;
  try {
    await until(
      what,
      async () => {
        result = await check();
        return result.held || result.final === true;
      },
      timeoutMs,
    );
  } catch {
    // timed out: the last answer says what did not hold
  }
  return { result: result ?? (await check()), waitedMs: Date.now() - started };
}

export interface AcknowledgedCheck {
  held: boolean;
  acknowledged: number;
  /** 201s whose order is not in the order database. */
  missing: string[];
  /** Orders whose order.placed is not marked published in the outbox. */
  unpublished: string[];
  /** Orders whose reservation inventory has not confirmed (order.placed not applied). */
  unconfirmed: string[];
  /** Orders in the database that no client saw a 201 for (timeouts, cut connections): allowed, reported. */
  unacknowledged: number;
}

/** Every order a client got a 201 for exists, its order.placed was published, and inventory applied it. */
export async function checkAcknowledged(inspector: Inspector, ids: string[]): Promise<AcknowledgedCheck> {
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  const published = new Set<string>();
  const confirmed = new Set<string>();
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    for (const row of (await inspector.db.order('orders').whereIn('id', chunk).select('id')) as Array<{
      id: string;
    }>)
      found.add(row.id);
    for (const row of (await inspector.db
      .order('outbox')
      .whereIn('event_key', chunk)
      .whereRaw(`event->>'type' = 'order.placed'`)
      .whereNotNull('published_at')
      .select('event_key')) as Array<{ event_key: string }>)
      published.add(row.event_key);
    for (const row of (await inspector.db
      .inventory('reservations')
      .whereIn('order_id', chunk)
      .whereNotNull('confirmed_at')
      .distinct('order_id')) as Array<{ order_id: string }>)
      confirmed.add(row.order_id);
  }
  const [total] = (await inspector.db.order('orders').count({ n: '*' })) as Array<{ n: string }>;
  const missing = unique.filter((id) => !found.has(id));
  const unpublished = unique.filter((id) => found.has(id) && !published.has(id));
  const unconfirmed = unique.filter((id) => found.has(id) && !confirmed.has(id));
  return {
    held: missing.length + unpublished.length + unconfirmed.length === 0,
    acknowledged: unique.length,
    missing,
    unpublished,
    unconfirmed,
    unacknowledged: num(total.n) - found.size,
  };
}
