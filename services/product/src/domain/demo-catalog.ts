import { AppError } from '@cartwheel/kit';
import type { Catalog, NewProduct } from './catalog.use-cases.js';

/**
 * Demo products for a first `make start`. Their categories and prices (none in 100–300) stay
 * clear of the seed walkthrough's three products, so its filters return the same results with
 * or without demo data. Fixed ids: replicas starting together on an empty catalog seed it once.
 */
export const DEMO_PRODUCTS: Array<NewProduct & { id: string }> = [
  {
    id: '64d0c0de0000000000000001',
    name: 'Cast Iron Skillet 12"',
    description: 'Pre-seasoned cast iron pan that goes from stovetop to oven',
    category: 'Kitchen',
    price_cents: 3999,
    quantity: 60,
    tags: ['cookware', 'cast-iron'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000002',
    name: 'Pour-Over Coffee Kettle',
    description: 'Gooseneck kettle with a built-in thermometer for precise brewing',
    category: 'Kitchen',
    price_cents: 5450,
    quantity: 35,
    tags: ['coffee', 'kettle'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000003',
    name: 'Ultralight Camping Tent',
    description: 'Two-person backpacking tent, 1.2 kg, sets up in three minutes',
    category: 'Outdoors',
    price_cents: 34900,
    quantity: 15,
    tags: ['camping', 'tent', 'hiking'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000004',
    name: 'Trail Running Backpack',
    description: 'Twelve-litre vest pack with two soft flasks',
    category: 'Outdoors',
    price_cents: 8995,
    quantity: 40,
    tags: ['running', 'hiking'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000005',
    name: 'The Pragmatic Cartographer',
    description: 'A field guide to drawing maps by hand, paperback edition',
    category: 'Books',
    price_cents: 2499,
    quantity: 120,
    tags: ['maps', 'paperback'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000006',
    name: 'Ergonomic Office Chair',
    description: 'Mesh chair with adjustable lumbar support and armrests',
    category: 'Home Office',
    price_cents: 42900,
    quantity: 12,
    tags: ['furniture', 'ergonomic'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000007',
    name: 'Adjustable Standing Desk',
    description: 'Electric sit-stand desk with memory presets, 140 x 70 cm top',
    category: 'Home Office',
    price_cents: 59900,
    quantity: 8,
    tags: ['furniture', 'desk'],
    image_url: null,
  },
  {
    id: '64d0c0de0000000000000008',
    name: 'Wooden Building Blocks',
    description: 'One hundred beech blocks in a canvas bag, for ages 2 and up',
    category: 'Toys',
    price_cents: 3499,
    quantity: 50,
    tags: ['wooden', 'kids'],
    image_url: null,
  },
];

/**
 * Creates the demo products when the catalog has never held a product; each one emits
 * product.created like any other, so inventory creates its stock. Resolves with how many it created.
 */
export async function seedDemoCatalog(catalog: Catalog, isEmpty: () => Promise<boolean>): Promise<number> {
  if (!(await isEmpty())) return 0;
  let created = 0;
  for (const { id, ...product } of DEMO_PRODUCTS) {
    try {
      await catalog.create(product, id);
      created += 1;
    } catch (error) {
      // Another replica seeded it first.
      if (!(error instanceof AppError && error.code === 'product_exists')) throw error;
    }
  }
  return created;
}
