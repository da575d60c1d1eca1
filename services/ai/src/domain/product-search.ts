import type { CatalogProduct, CatalogReader, ProductFilters } from './catalog.js';
import { searchKeywords } from './shopping-query.js';

export interface SearchOptions {
  limit: number;
  inStock?: boolean;
}

/**
 * Keyword search over the catalog: first every keyword must match (the catalog's own search);
 * when that finds nothing, each keyword is searched alone and products matching more keywords
 * come first (then cheaper first). Price and category filters always hold.
 */
export async function findProducts(
  catalog: CatalogReader,
  filters: ProductFilters,
  options: SearchOptions,
): Promise<CatalogProduct[]> {
  const keywords = searchKeywords(filters.q);
  const base = { ...filters, q: undefined, inStock: options.inStock };
  const all = await catalog.search({ ...base, q: keywords.join(' ') || undefined, limit: options.limit });
  if (all.length > 0 || keywords.length < 2) return all;

  const scores = new Map<string, { product: CatalogProduct; score: number }>();
  const perWord = await Promise.all(
    keywords.map((keyword) => catalog.search({ ...base, q: keyword, limit: options.limit })),
  );
  for (const found of perWord) {
    for (const product of found) {
      const entry = scores.get(product.id) ?? { product, score: 0 };
      entry.score += 1;
      scores.set(product.id, entry);
    }
  }
  return [...scores.values()]
    .sort((a, b) => b.score - a.score || a.product.price - b.product.price)
    .slice(0, options.limit)
    .map((entry) => entry.product);
}
