import { randomUUID } from 'node:crypto';
import type { CloudEvent, Knex } from '@cartwheel/kit';
import { expect } from 'chai';
import { client } from './http.js';
import type { Harness } from './harness.js';

/** A product id no other test uses (24 hex digits, like the catalog's ObjectIds). */
export const newProductId = (): string => randomUUID().replace(/-/g, '').slice(0, 24);
export const newOrderId = (): string => randomUUID();

/** The callers of one harness. */
export function clients(harness: Harness) {
  const url = harness.inventory.url;
  return {
    user: client(url, harness.tokens.user),
    admin: client(url, harness.tokens.admin),
    service: client(url, harness.tokens.service),
  };
}

/** Creates records through the admin API and returns their product ids. */
export async function stockUp(harness: Harness, ...quantities: number[]): Promise<string[]> {
  const { admin } = clients(harness);
  const ids: string[] = [];
  for (const available_quantity of quantities) {
    const product_id = newProductId();
    const created = await admin.post('/api/v1/inventory', { product_id, available_quantity });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    ids.push(product_id);
  }
  return ids;
}

/** A record as the API shows it. */
export async function levels(harness: Harness, productId: string) {
  const { admin } = clients(harness);
  const response = await admin.get(`/api/v1/inventory/${productId}`);
  expect(response.status).to.equal(200);
  return response.body as {
    available_quantity: number;
    reserved_quantity: number;
    reorder_threshold: number;
  };
}

/** The events written to the outbox so far (published or not), oldest first, optionally of one type. */
export async function outboxEvents(db: Knex, type?: string): Promise<CloudEvent[]> {
  const rows = (await db('outbox').select('event').orderBy('id')) as Array<{ event: CloudEvent | string }>;
  const events = rows.map(
    (row) => (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as CloudEvent,
  );
  return type ? events.filter((event) => event.type === type) : events;
}

/** The stock.updated / inventory.low events of one product. */
export async function eventsOf(db: Knex, productId: string, type: string): Promise<CloudEvent[]> {
  return (await outboxEvents(db, type)).filter((event) => event.subject === productId);
}
