import type { Registry } from 'prom-client';
import { createDatabase as createTestDatabase } from '@cartwheel/testing';
import { createDatabase, type Knex } from '../../src/db/knex.js';

/** A PostgreSQL storage adapter a contract suite runs against. */
export interface DatabaseAdapter {
  name: string;
  open(): Promise<Knex>;
}

/** The two PostgreSQL adapters every knex-backed contract runs on: a real server and PGlite. */
export function databaseAdapters(prefix: string): DatabaseAdapter[] {
  return [
    {
      name: 'PostgreSQL server',
      open: async () => createDatabase({ url: await createTestDatabase(prefix) }),
    },
    { name: 'PGlite', open: async () => createDatabase({}) },
  ];
}

/** The value of the series of `name` whose labels include `labels`, or undefined if none. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
    ?.value;
}

/** The sum of the series of `name` whose labels include `labels` (0 when none). */
export async function metricSum(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
    .reduce((sum, value) => sum + value.value, 0);
}
