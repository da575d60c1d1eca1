import type { AddressRepository } from '../domain/ports.js';
import type { Address } from '../domain/user.js';
import { isStoredId, toId, type Conn } from './rows.js';

const COLUMNS = ['id', 'user_id', 'line1', 'line2', 'city', 'state', 'postal_code', 'country', 'is_default'];

function toAddress(row: Record<string, unknown>): Address {
  return {
    id: toId(row.id),
    line1: row.line1 as string,
    line2: (row.line2 as string | null) ?? null,
    city: row.city as string,
    state: (row.state as string | null) ?? null,
    postal_code: row.postal_code as string,
    country: row.country as string,
    is_default: Boolean(row.is_default),
  };
}

export function addressRepository(conn: Conn): AddressRepository {
  return {
    async listFor(userIds) {
      const byUser = new Map<number, Address[]>(userIds.map((id) => [id, []]));
      if (userIds.length === 0) return byUser;
      const rows = await conn('addresses').select(COLUMNS).whereIn('user_id', userIds).orderBy('id');
      for (const row of rows) byUser.get(toId(row.user_id))?.push(toAddress(row));
      return byUser;
    },
    async count(userId) {
      const row = await conn('addresses')
        .where({ user_id: userId })
        .count<{ n: string | number }[]>('* as n')
        .first();
      return Number(row?.n ?? 0);
    },
    async insert(userId, fields) {
      const [row] = await conn('addresses')
        .insert({ ...fields, user_id: userId })
        .returning(COLUMNS);
      return toAddress(row);
    },
    async update(userId, id, changes) {
      if (!isStoredId(id)) return undefined;
      const query = conn('addresses').where({ id, user_id: userId });
      const [row] =
        Object.keys(changes).length > 0
          ? await query.update({ ...changes, updated_at: conn.fn.now() }).returning(COLUMNS)
          : await query.select(COLUMNS);
      return row ? toAddress(row) : undefined;
    },
    async remove(userId, id) {
      if (!isStoredId(id)) return false;
      return (await conn('addresses').where({ id, user_id: userId }).delete()) > 0;
    },
    async clearDefault(userId, exceptId) {
      const query = conn('addresses').where({ user_id: userId, is_default: true });
      if (exceptId !== undefined && isStoredId(exceptId)) query.whereNot({ id: exceptId });
      await query.update({ is_default: false, updated_at: conn.fn.now() });
    },
  };
}
