import { notFound } from '@cartwheel/kit';
import { z } from 'zod';
import { withFallback, type ModelAccess, type Source } from './answer.js';
import {
  availableStock,
  toSummary,
  type CatalogProduct,
  type CatalogReader,
  type ProductSummary,
  type StockReader,
} from './catalog.js';
import { repeatsInstructions } from './grounding.js';
import { ModelFailure, structuredOutput, type ToolSpec } from './model.js';
import { ALL_INSTRUCTIONS, RECOMMEND_INSTRUCTIONS, systemPrompt } from './prompts.js';

/** Candidates the model chooses from (all in stock). */
export const MAX_CANDIDATES = 15;
/** Products read from the catalog per pool (same category; similar price). */
const POOL_SIZE = 50;
/** Stock checks run together. */
const STOCK_CHECK_CONCURRENCY = 5;

export interface RecommendRequest {
  productId: string;
  limit: number;
}

export interface RecommendAnswer {
  products: ProductSummary[];
  reason: string;
}

export interface RecommendDeps extends ModelAccess {
  catalog: CatalogReader;
  stock: StockReader;
}

export const RECOMMEND_TOOL: ToolSpec = {
  name: 'recommend',
  description: 'Recommends candidates by id, best first, with one short reason.',
  input_schema: {
    type: 'object',
    properties: {
      product_ids: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_CANDIDATES },
      reason: { type: 'string', maxLength: 300 },
    },
    required: ['product_ids', 'reason'],
    additionalProperties: false,
  },
};

const recommendOutput = z.strictObject({
  product_ids: z.array(z.string()).min(1).max(MAX_CANDIDATES),
  reason: z.string().trim().min(1).max(300),
});

/**
 * Related products in the order the fallback recommends them: the same category first, then the
 * rest, each by distance to the product's price (then by name); never the product itself.
 */
export function rankRelated(product: CatalogProduct, pool: CatalogProduct[]): CatalogProduct[] {
  const unique = new Map(pool.filter((p) => p.id !== product.id).map((p) => [p.id, p]));
  const rank = (p: CatalogProduct) => (p.category.toLowerCase() === product.category.toLowerCase() ? 0 : 1);
  return [...unique.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Math.abs(a.price - product.price) - Math.abs(b.price - product.price) ||
      a.name.localeCompare(b.name),
  );
}

/** The first `count` of `ranked` that inventory says are in stock (catalog quantity when it cannot answer). */
async function firstInStock(
  stock: StockReader,
  ranked: CatalogProduct[],
  count: number,
): Promise<CatalogProduct[]> {
  const kept: CatalogProduct[] = [];
  for (let i = 0; i < ranked.length && kept.length < count; i += STOCK_CHECK_CONCURRENCY) {
    const batch = ranked.slice(i, i + STOCK_CHECK_CONCURRENCY);
    const levels = await Promise.all(batch.map((p) => availableStock(stock, p)));
    kept.push(...batch.filter((_, index) => levels[index] > 0));
  }
  return kept.slice(0, count);
}

async function candidatesFor(deps: RecommendDeps, product: CatalogProduct): Promise<CatalogProduct[]> {
  const [sameCategory, similarPrice] = await Promise.all([
    deps.catalog.search({ category: product.category, inStock: true, limit: POOL_SIZE }),
    deps.catalog.search({
      min_price: Math.floor(product.price * 0.5),
      max_price: Math.ceil(product.price * 1.5),
      inStock: true,
      limit: POOL_SIZE,
    }),
  ]);
  return firstInStock(deps.stock, rankRelated(product, [...sameCategory, ...similarPrice]), MAX_CANDIDATES);
}

function fallbackReason(product: CatalogProduct, chosen: CatalogProduct[]): string {
  if (chosen.length === 0) return 'No related products are in stock right now.';
  const sameCategory = chosen.some((p) => p.category.toLowerCase() === product.category.toLowerCase());
  return sameCategory
    ? `Also in ${product.category}, closest in price to ${product.name} first.`
    : `Closest in price to ${product.name}.`;
}

/**
 * Related products for a product page: in stock (inventory's word; the catalog's quantity when
 * inventory cannot answer), never the product itself. The model picks and orders among the
 * candidates and says why; ids it invents are refused (→ fallback). The fallback takes the same
 * category first, then the nearest prices. 404 when the product does not exist.
 */
export async function recommend(
  deps: RecommendDeps,
  request: RecommendRequest,
): Promise<RecommendAnswer & { source: Source }> {
  const product = await deps.catalog.get(request.productId);
  if (!product) throw notFound('Product', `No product has the id ${request.productId}`);
  const candidates = await candidatesFor(deps, product);
  const fallback = async () => {
    const chosen = candidates.slice(0, request.limit);
    return { products: chosen.map(toSummary), reason: fallbackReason(product, chosen) };
  };
  if (candidates.length === 0) {
    // Nothing to choose from: the model is not asked.
    deps.observer.fellBack('recommendations', 'no_candidates');
    deps.observer.answered('recommendations', 'fallback');
    return { ...(await fallback()), source: 'fallback' };
  }
  return withFallback(
    'recommendations',
    deps,
    async (model, deadline) => {
      const output = await structuredOutput(model, deadline, {
        system: systemPrompt(RECOMMEND_INSTRUCTIONS),
        content: JSON.stringify({
          viewing: { name: product.name, category: product.category, price: product.price },
          candidates: candidates.map((p) => ({
            id: p.id,
            name: p.name,
            category: p.category,
            price: p.price,
          })),
          choose_at_most: request.limit,
        }),
        tool: RECOMMEND_TOOL,
        parse: (input) => recommendOutput.safeParse(input),
      });
      const byId = new Map(candidates.map((p) => [p.id, p]));
      const unknown = output.product_ids.filter((id) => !byId.has(id));
      if (unknown.length > 0) {
        throw new ModelFailure(
          'invalid_output',
          `the model recommended ids that are not candidates: ${unknown}`,
        );
      }
      if (repeatsInstructions(output.reason, ALL_INSTRUCTIONS)) {
        throw new ModelFailure('ungrounded_reply', 'the reason repeats the system instructions');
      }
      const chosen = [...new Set(output.product_ids)].slice(0, request.limit).map((id) => byId.get(id)!);
      return { products: chosen.map(toSummary), reason: output.reason };
    },
    fallback,
  );
}
