// A shop's worth of data, made the way a client would: products written by the admin and shoppers
// registered, signed in and given a default address, all through the gateway with plain HTTP.
import { setTimeout as delay } from 'node:timers/promises';
import { httpCall, type Reply } from '@cartwheel/testing';

export const ADMIN = { email: 'admin@bench.example', password: 'Bench-Admin-1' };
export const CATEGORIES = [
  'Electronics',
  'Audio',
  'Wearables',
  'Kitchen',
  'Books',
  'Garden',
  'Toys',
  'Sports',
];
/** Words in the generated names and descriptions; `/products/search?q=` draws its queries from them. */
export const SEARCH_WORDS = [
  'wireless',
  'premium',
  'compact',
  'steel',
  'smart',
  'organic',
  'classic',
  'travel',
];
const NOUNS = [
  'Speaker',
  'Kettle',
  'Watch',
  'Lamp',
  'Backpack',
  'Novel',
  'Drone',
  'Racket',
  'Blender',
  'Planter',
];

/** One JSON (or form) request against `base`, e.g. `call(gateway, 'POST', '/api/v1/orders', { token, json })`. */
export const call = httpCall;

/** Fails with the route, status and body unless `reply.status` is `expected`. */
export function expectStatus(reply: Reply, expected: number, what: string): Reply {
  if (reply.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply;
}

/** Signs in with the seed's form body and returns the access token. */
export async function login(base: string, email: string, password: string): Promise<string> {
  const reply = await call(base, 'POST', '/api/v1/auth/login', { form: { username: email, password } });
  return expectStatus(reply, 200, `login ${email}`).body.access_token as string;
}

export interface SeededProduct {
  id: string;
  name: string;
  category: string;
  price: number;
  /** Units created with it (inventory's initial stock). */
  stock: number;
}

/**
 * Creates `count` products as the admin; the first `scarce` of them get `scarceStock` units (they
 * sell out under load, so the oversell check has something to bite on), the rest `stock`.
 */
export async function seedProducts(
  base: string,
  adminToken: string,
  options: { count: number; stock: number; scarce?: number; scarceStock?: number },
): Promise<SeededProduct[]> {
  const products: SeededProduct[] = [];
  for (let i = 0; i < options.count; i++) {
    const word = SEARCH_WORDS[i % SEARCH_WORDS.length];
    const noun = NOUNS[Math.floor(i / SEARCH_WORDS.length) % NOUNS.length];
    const category = CATEGORIES[i % CATEGORIES.length];
    const stock = i < (options.scarce ?? 0) ? (options.scarceStock ?? 10) : options.stock;
    const price = Math.round((5 + ((i * 37) % 500) + (i % 100) / 100) * 100) / 100;
    const reply = await call(base, 'POST', '/api/v1/products', {
      token: adminToken,
      json: {
        name: `${word[0].toUpperCase()}${word.slice(1)} ${noun} ${i}`,
        description: `A ${word} ${noun.toLowerCase()} for everyday use, bench item ${i}`,
        category,
        price,
        quantity: stock,
        tags: [word, category.toLowerCase()],
      },
    });
    const created = expectStatus(reply, 201, `create product ${i}`).body;
    products.push({ id: created._id, name: created.name, category, price, stock });
  }
  return products;
}

export interface Shopper {
  email: string;
  token: string;
}

const ADDRESS = {
  line1: '1 Bench Street',
  city: 'Loadville',
  state: 'LV',
  postal_code: '12345',
  country: 'Benchland',
  is_default: true,
};

/** Registers `count` shoppers (`<prefix>-<i>@bench.example`), signs each in and adds a default address. */
export async function seedShoppers(base: string, count: number, prefix = 'shopper'): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}-${i}@bench.example`;
    const password = `Shopper-${i}-Pass`;
    const registered = await call(base, 'POST', '/api/v1/auth/register', {
      json: { email, password, first_name: 'Bench', last_name: `Shopper ${i}`, phone: '555-000-0000' },
    });
    expectStatus(registered, 201, `register ${email}`);
    const token = await login(base, email, password);
    expectStatus(
      await call(base, 'POST', '/api/v1/users/me/addresses', { token, json: ADDRESS }),
      201,
      `address of ${email}`,
    );
    shoppers.push({ email, token });
  }
  return shoppers;
}

/** Polls `check` every 250 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(250);
  }
}
