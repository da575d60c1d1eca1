import type { Knex } from 'knex';
import type { StockPage, StockQueries } from '../domain/ports.js';
import type { NewStock, StockChange, StockRecord } from '../domain/stock.js';
import { byProductId, toStockRecord, type StockRow } from './rows.js';

export const STOCK_TABLE = 'inventory';

/**
 * Locks the records of `productIds` in product id order. The lock is `FOR NO KEY UPDATE`: it
 * serialises writers but lets reservations' foreign-key checks through.
 */
export async function lockStock(trx: Knex.Transaction, productIds: string[]): Promise<StockRecord[]> {
  if (productIds.length === 0) return [];
  const query = trx<StockRow>(STOCK_TABLE);
  const rows = await (
    productIds.length === 1
      ? query.where('product_id', productIds[0])
      : query.whereIn('product_id', productIds).orderBy('product_id')
  ).forNoKeyUpdate();
  return rows.map(toStockRecord);
}

export async function insertStock(trx: Knex.Transaction, rows: NewStock[]): Promise<StockRecord[]> {
  if (rows.length === 0) return [];
  const inserted = (await trx(STOCK_TABLE)
    .insert(rows)
    .onConflict('product_id')
    .ignore()
    .returning('*')) as StockRow[];
  return inserted.map(toStockRecord).sort(byProductId);
}

const CHANGE_COLUMNS = '(?::varchar, ?::integer, ?::integer, ?::integer, ?::boolean, ?::boolean)';

/**
 * The UPDATE (without `returning`) that writes `changes` to locked records in one statement; the
 * version grows in the same statement that changes the record.
 */
export function updateStockStatement(changes: StockChange[]): { sql: string; bindings: Knex.RawBinding[] } {
  return {
    sql: `update ${STOCK_TABLE} as i
             set available_quantity = v.available_quantity,
                 reserved_quantity = v.reserved_quantity,
                 reorder_threshold = v.reorder_threshold,
                 discontinued = v.discontinued,
                 low_notified = v.low_notified,
                 version = i.version + 1,
                 updated_at = now()
            from (values ${changes.map(() => CHANGE_COLUMNS).join(', ')})
              as v (product_id, available_quantity, reserved_quantity, reorder_threshold, discontinued, low_notified)
           where i.product_id = v.product_id`,
    bindings: changes.flatMap((c) => [
      c.product_id,
      c.available_quantity,
      c.reserved_quantity,
      c.reorder_threshold,
      c.discontinued,
      c.low_notified,
    ]),
  };
}

export async function saveStock(trx: Knex.Transaction, changes: StockChange[]): Promise<StockRecord[]> {
  if (changes.length === 0) return [];
  const update = updateStockStatement(changes);
  const result = (await trx.raw(`${update.sql} returning i.*`, update.bindings)) as { rows: StockRow[] };
  return result.rows.map(toStockRecord).sort(byProductId);
}

const lowStock = (query: Knex.QueryBuilder, low: boolean | undefined): Knex.QueryBuilder => {
  if (low === true) return query.whereRaw('available_quantity < reorder_threshold and not discontinued');
  if (low === false)
    return query.whereRaw('not (available_quantity < reorder_threshold and not discontinued)');
  return query;
};

/** Reads outside any transaction. */
export function stockQueries(db: Knex): StockQueries {
  return {
    async findStock(productId) {
      const row = await db<StockRow>(STOCK_TABLE).where('product_id', productId).first();
      return row ? toStockRecord(row) : undefined;
    },
    async listStock({ lowStock: low, limit, offset }): Promise<StockPage> {
      const count = (
        await lowStock(db(STOCK_TABLE), low).count<{ count: string | number }[]>('* as count')
      )[0];
      const rows = (await lowStock(db(STOCK_TABLE), low)
        .orderBy('id')
        .limit(limit)
        .offset(offset)) as StockRow[];
      return { records: rows.map(toStockRecord), total: Number(count?.count ?? 0) };
    },
  };
}
