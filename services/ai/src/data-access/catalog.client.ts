import type { HttpClient } from '@cartwheel/kit';
import { z } from 'zod';
import type { CatalogOverview, CatalogProduct, CatalogQuery, CatalogReader } from '../domain/catalog.js';
import { unavailableAs, unexpectedAnswer } from './upstream.js';

const productView = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  category: z.string(),
  price: z.number(),
  currency: z.string(),
  quantity: z.number().default(0),
  tags: z.array(z.string()).default([]),
  image_url: z.string().nullable().default(null),
});
const productList = z.array(productView);

/** Products the overview reads (one page of the catalog, by name). */
const OVERVIEW_PAGE = 100;

const toProduct = ({ _id, ...rest }: z.output<typeof productView>): CatalogProduct => ({ id: _id, ...rest });

/** Amounts as the catalog accepts them (at most two decimals), rounded so the range never narrows. */
const cents = (amount: number | undefined, round: (n: number) => number) =>
  amount === undefined ? undefined : round(amount * 100) / 100;

export interface CatalogClientOptions {
  /** How long the overview is reused (default 60 s): a stable prompt prefix is what prompt caching caches. */
  overviewTtlMs?: number;
}

/**
 * The product service's public reads: `GET /api/v1/products` (filters, `in_stock`, `limit`) and
 * `GET /api/v1/products/{id}`. A catalog that cannot answer is a 503 naming it.
 */
export function catalogClient(http: HttpClient, options: CatalogClientOptions = {}): CatalogReader {
  const ttlMs = options.overviewTtlMs ?? 60_000;
  let cached: { overview: CatalogOverview; until: number } | undefined;
  let loading: Promise<CatalogOverview> | undefined;

  async function list(query: Record<string, string | number | undefined>): Promise<CatalogProduct[]> {
    const response = await unavailableAs('catalog', () => http.get('/api/v1/products', { query }));
    const parsed = response.status === 200 ? productList.safeParse(response.body) : undefined;
    if (!parsed?.success) throw unexpectedAnswer('catalog', response);
    return parsed.data.map(toProduct);
  }

  async function loadOverview(): Promise<CatalogOverview> {
    const products = await list({ limit: OVERVIEW_PAGE, sort: 'name' });
    const categories = [...new Set(products.map((p) => p.category))].sort((a, b) => a.localeCompare(b));
    const overview = {
      categories,
      products: products.map(({ id, name, category }) => ({ id, name, category })),
    };
    cached = { overview, until: Date.now() + ttlMs };
    return overview;
  }

  return {
    search(query: CatalogQuery) {
      return list({
        q: query.q || undefined,
        category: query.category || undefined,
        min_price: cents(query.min_price, Math.floor),
        max_price: cents(query.max_price, Math.ceil),
        in_stock: query.inStock ? 'true' : undefined,
        limit: query.limit,
      });
    },
    async get(id) {
      const response = await unavailableAs('catalog', () =>
        http.get(`/api/v1/products/${encodeURIComponent(id)}`),
      );
      if (response.status === 404) return undefined;
      const parsed = response.status === 200 ? productView.safeParse(response.body) : undefined;
      if (!parsed?.success) throw unexpectedAnswer('catalog', response);
      return toProduct(parsed.data);
    },
    overview() {
      if (cached && Date.now() < cached.until) return Promise.resolve(cached.overview);
      loading ??= loadOverview().finally(() => {
        loading = undefined;
      });
      return loading;
    },
  };
}
