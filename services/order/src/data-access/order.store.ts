import { enqueueEvents, type CloudEvent, type Knex } from '@cartwheel/kit';
import type { Order } from '../domain/order.js';
import type { KeyOutcome, OrderFilter, OrderStore } from '../domain/ports.js';
import { completeKey, idempotencyKeys } from './idempotency.repository.js';
import {
  ITEM_COLUMNS,
  ORDER_COLUMNS,
  toItemRows,
  toOrderRow,
  toOrders,
  type OrderItemRow,
  type OrderRow,
} from './rows.js';

export interface OrderStoreOptions {
  /** Topic of the order events (default `orders`). */
  topic?: string;
  /** Called after every committed transaction that wrote events (wakes the outbox relay). */
  onCommit?: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function withItems(conn: Knex | Knex.Transaction, rows: OrderRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = (await conn('order_items')
    .select(ITEM_COLUMNS)
    .whereIn(
      'order_id',
      rows.map((row) => row.id),
    )) as OrderItemRow[];
  return toOrders(rows, items);
}

/**
 * The orders' PostgreSQL (a server, or PGlite) behind the domain's `OrderStore`. No transaction
 * here ever waits for a query outside it, so PGlite's single connection cannot deadlock.
 */
export function createOrderStore(db: Knex, options: OrderStoreOptions = {}): OrderStore {
  const topic = options.topic ?? 'orders';
  const committed = () => options.onCommit?.();

  async function insertOrder(order: Order, events: CloudEvent[], key?: KeyOutcome): Promise<void> {
    await db.transaction(async (trx) => {
      await trx('orders').insert(toOrderRow(order));
      await trx('order_items').insert(toItemRows(order));
      await trx('order_status_history').insert({
        order_id: order.id,
        from_status: null,
        to_status: order.status,
        changed_by: order.user_id,
        changed_at: order.created_at,
      });
      await enqueueEvents(trx, topic, events);
      if (key) await completeKey(trx, order.id, key);
    });
    committed();
  }

  async function findOrder(id: string): Promise<Order | undefined> {
    // Not a UUID: no such order (and no cast error from the uuid column).
    if (!UUID.test(id)) return undefined;
    const rows = (await db('orders').select(ORDER_COLUMNS).where({ id })) as OrderRow[];
    return (await withItems(db, rows))[0];
  }

  async function listOrders(filter: OrderFilter) {
    const where = (query: Knex.QueryBuilder) => {
      if (filter.user_id !== undefined) query.where('user_id', filter.user_id);
      if (filter.status !== undefined) query.where('status', filter.status);
      return query;
    };
    const [rows, count] = await Promise.all([
      where(db('orders').select(ORDER_COLUMNS))
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(filter.limit)
        .offset(filter.offset) as Promise<OrderRow[]>,
      where(db('orders')).count<{ count: string | number }[]>('* as count'),
    ]);
    return { orders: await withItems(db, rows), total: Number(count[0]?.count ?? 0) };
  }

  const updateLocked: OrderStore['updateLocked'] = async (id, decide) => {
    if (!UUID.test(id)) return undefined;
    let wrote = false;
    const order = await db.transaction(async (trx) => {
      const rows = (await trx('orders').select(ORDER_COLUMNS).where({ id }).forUpdate()) as OrderRow[];
      const [current] = await withItems(trx, rows);
      if (!current) return undefined;
      const change = await decide(current);
      if (!change) return current;
      await trx('orders')
        .where({ id })
        .update({ status: change.order.status, updated_at: change.order.updated_at });
      await trx('order_status_history').insert({
        order_id: id,
        from_status: change.from,
        to_status: change.order.status,
        changed_by: change.changed_by,
        changed_at: change.order.updated_at,
      });
      await enqueueEvents(trx, topic, change.events);
      wrote = true;
      return change.order;
    });
    if (wrote) committed();
    return order;
  };

  return { insertOrder, findOrder, listOrders, updateLocked, keys: idempotencyKeys(db) };
}
