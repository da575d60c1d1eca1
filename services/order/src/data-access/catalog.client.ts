import type { HttpClient } from '@cartwheel/kit';
import { z } from 'zod';
import { hasAtMostTwoDecimals, toCents } from '../domain/money.js';
import type { Catalog } from '../domain/ports.js';
import { unavailableAs, unexpectedAnswer } from './upstream.js';

const products = z.array(
  z.object({
    _id: z.string(),
    name: z.string(),
    price: z.number().refine(hasAtMostTwoDecimals),
    currency: z.string(),
  }),
);

/**
 * The product service's batch read, `GET /api/v1/products?ids=a,b` (at most 100 ids; unknown,
 * deleted and malformed ids are simply not in the answer).
 */
export function catalogClient(http: HttpClient): Catalog {
  return {
    async findProducts(ids) {
      const response = await unavailableAs('catalog', () =>
        http.get('/api/v1/products', { query: { ids: ids.join(','), limit: 100 } }),
      );
      const parsed = response.status === 200 ? products.safeParse(response.body) : undefined;
      if (!parsed?.success) throw unexpectedAnswer('catalog', response);
      return parsed.data.map((product) => ({
        product_id: product._id,
        name: product.name,
        price_cents: toCents(product.price),
        currency: product.currency,
      }));
    },
  };
}
