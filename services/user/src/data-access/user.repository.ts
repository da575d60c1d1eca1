import type { Page, NewUser, UserChanges, UserRepository } from '../domain/ports.js';
import type { User, UserRole } from '../domain/user.js';
import { isStoredId, toId, toIso, type Conn } from './rows.js';

const COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'role',
  'is_active',
  'created_at',
  'external_issuer',
  'external_subject',
];

function toUser(row: Record<string, unknown>): User {
  return {
    id: toId(row.id),
    email: row.email as string,
    first_name: row.first_name as string,
    last_name: row.last_name as string,
    phone: (row.phone as string | null) ?? null,
    role: row.role as UserRole,
    is_active: Boolean(row.is_active),
    created_at: toIso(row.created_at),
    external_issuer: (row.external_issuer as string | null) ?? null,
    external_subject: (row.external_subject as string | null) ?? null,
  };
}

const maybeUser = (row: Record<string, unknown> | undefined) => (row ? toUser(row) : undefined);

export function userRepository(conn: Conn): UserRepository {
  return {
    async insert(user: NewUser) {
      // Any unique index (email, external identity) turns a duplicate into "nothing inserted".
      const [row] = await conn('users').insert(user).onConflict().ignore().returning(COLUMNS);
      return maybeUser(row);
    },
    async findById(id, options = {}) {
      if (!isStoredId(id)) return undefined;
      const query = conn('users').select(COLUMNS).where({ id }).first();
      return maybeUser(await (options.lock ? query.forUpdate() : query));
    },
    async findByEmail(email) {
      return maybeUser(
        await conn('users').select(COLUMNS).whereRaw('lower(email) = lower(?)', [email]).first(),
      );
    },
    async findCredentials(email) {
      const row = await conn('users')
        .select([...COLUMNS, 'password_hash'])
        .whereRaw('lower(email) = lower(?)', [email])
        .first();
      return row
        ? { user: toUser(row), passwordHash: (row.password_hash as string | null) ?? null }
        : undefined;
    },
    async findByExternal(issuer, subject) {
      return maybeUser(
        await conn('users')
          .select(COLUMNS)
          .where({ external_issuer: issuer, external_subject: subject })
          .first(),
      );
    },
    async passwordHash(id) {
      if (!isStoredId(id)) return undefined;
      const row = await conn('users').select('password_hash').where({ id }).first();
      return row ? ((row.password_hash as string | null) ?? null) : undefined;
    },
    async update(id, changes: UserChanges) {
      if (!isStoredId(id)) return undefined;
      const [row] = await conn('users')
        .where({ id })
        .update({ ...changes, updated_at: conn.fn.now() })
        .returning(COLUMNS);
      return maybeUser(row);
    },
    async list({ limit, offset }): Promise<Page<User>> {
      const rows = await conn('users').select(COLUMNS).orderBy('id').limit(limit).offset(offset);
      const count = await conn('users').count<{ n: string | number }[]>('* as n').first();
      return { items: rows.map(toUser), total: Number(count?.n ?? 0) };
    },
    async hasActiveAdmin() {
      return Boolean(await conn('users').select('id').where({ role: 'admin', is_active: true }).first());
    },
  };
}
