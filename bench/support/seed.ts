// A shop seeded through the gateway, ready for load: products (their inventory records created
// from product.created) and shoppers with a default address.
import type { Inspector } from './invariants.js';
import { ADMIN, login, seedProducts, seedShoppers, until, type SeededProduct, type Shopper } from './shop.js';

export interface ShopOptions {
  products: number;
  stock: number;
  scarce?: number;
  scarceStock?: number;
  shoppers: number;
}

/** Seeds the shop and waits until inventory holds a record for every product. */
export async function seedShop(
  gateway: string,
  inspector: Inspector,
  options: ShopOptions,
): Promise<{ products: SeededProduct[]; shoppers: Shopper[] }> {
  const admin = await login(gateway, ADMIN.email, ADMIN.password);
  const products = await seedProducts(gateway, admin, {
    count: options.products,
    stock: options.stock,
    scarce: options.scarce,
    scarceStock: options.scarceStock,
  });
  await until(`inventory holds all ${products.length} products (from product.created)`, async () => {
    const [row] = (await inspector.db.inventory('inventory').count({ n: '*' })) as Array<{ n: string }>;
    return Number(row.n) === products.length;
  });
  const shoppers = await seedShoppers(gateway, options.shoppers);
  return { products, shoppers };
}
