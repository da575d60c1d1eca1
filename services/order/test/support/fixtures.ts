import { randomUUID } from 'node:crypto';
import type { CloudEvent, Knex } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import type { Platform } from './platform.js';

/** Seed 000 step 2's address, as an order's shipping_address (no id, no default flag). */
export const SEED_ADDRESS = {
  line1: '123 Example Street',
  line2: 'Apt 4B',
  city: 'Example City',
  state: 'EX',
  postal_code: '12345',
  country: 'Example Country',
};

export interface NewProduct {
  name?: string;
  description?: string;
  category?: string;
  price: number;
  quantity: number;
}

/** Creates a product as the admin and waits until inventory has its stock (from product.created). */
export async function createProduct(platform: Platform, product: NewProduct): Promise<string> {
  const reply = await platform.call.products('POST', '/api/v1/products', {
    token: platform.adminToken,
    body: { name: 'Test Product', description: 'For order tests', category: 'Tests', ...product },
  });
  expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
  const id = reply.body._id as string;
  await eventually(`inventory to have stock of ${id}`, async () => {
    const stock = await platform.call.inventory('GET', `/api/v1/inventory/${id}`, {
      token: platform.adminToken,
    });
    return stock.status === 200;
  });
  return id;
}

/** Available and reserved units of a product, as inventory shows them. */
export async function levels(platform: Platform, productId: string): Promise<[number, number]> {
  const reply = await platform.call.inventory('GET', `/api/v1/inventory/${productId}`, {
    token: platform.adminToken,
  });
  expect(reply.status).to.equal(200);
  return [reply.body.available_quantity, reply.body.reserved_quantity];
}

export interface Shopper {
  token: string;
  /** The user id as orders show it. */
  id: number | string;
  email: string;
}

/** A shopper minted by the test issuer: many of them cost nothing (no registration, no scrypt). */
export async function mintedShopper(
  platform: Platform,
  subject = `shopper-${randomUUID()}`,
): Promise<Shopper> {
  const email = `${subject}@example.com`;
  return { token: await platform.issuer.token({ subject, roles: ['user'], email }), id: subject, email };
}

/** A shopper registered and signed in at the user service, optionally with a default address. */
export async function registeredShopper(
  platform: Platform,
  options: { address?: boolean } = {},
): Promise<Shopper> {
  const email = `shopper-${randomUUID()}@example.com`;
  const password = 'Password123';
  const users = platform.call.users;
  const registered = await users('POST', '/api/v1/auth/register', {
    body: { email, password, first_name: 'Example', last_name: 'Customer', phone: '555-123-4567' },
  });
  expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
  const login = await users('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(login.status).to.equal(200);
  const token = login.body.access_token as string;
  if (options.address) {
    const added = await users('POST', '/api/v1/users/me/addresses', {
      token,
      body: { ...SEED_ADDRESS, is_default: true },
    });
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
  }
  return { token, id: registered.body.id, email };
}

/** The order events written to the outbox (published or not), oldest first, optionally of one type. */
export async function outboxEvents(db: Knex, type?: string): Promise<CloudEvent[]> {
  const rows = (await db('outbox').select('event').orderBy('id')) as Array<{ event: CloudEvent | string }>;
  const events = rows.map(
    (row) => (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as CloudEvent,
  );
  return type ? events.filter((event) => event.type === type) : events;
}

/** How many orders the order service's database holds. */
export async function countOrders(db: Knex): Promise<number> {
  const [row] = await db('orders').count<{ count: string | number }[]>('* as count');
  return Number(row.count);
}
