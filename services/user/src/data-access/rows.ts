/** Row → plain-object helpers shared by the repositories (pg returns bigint as string, PGlite as number). */
import type { Knex } from 'knex';

export type Conn = Knex | Knex.Transaction;

export const toId = (value: unknown): number => Number(value);

export const toIso = (value: unknown): string => new Date(value as string | Date).toISOString();

export const toDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string | Date);

/** An id a bigint column can hold and JSON shows exactly. */
export const isStoredId = (id: number): boolean => Number.isSafeInteger(id) && id > 0;
