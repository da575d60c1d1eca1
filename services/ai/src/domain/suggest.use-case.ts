import { z } from 'zod';
import { withFallback, type ModelAccess, type Source } from './answer.js';
import { toSummary, type CatalogReader, type ProductFilters, type ProductSummary } from './catalog.js';
import { structuredOutput, type ToolSpec } from './model.js';
import { findProducts } from './product-search.js';
import { SUGGEST_INSTRUCTIONS, systemPrompt } from './prompts.js';
import { parseShoppingQuery } from './shopping-query.js';

/** Products a suggestion lists. */
export const SUGGEST_LIMIT = 10;

const amount = z.number().min(0).max(10_000_000);

/** The structured output the model must produce: the catalog's filters, nothing else. */
export const filtersOutput = z
  .strictObject({
    q: z.string().trim().min(1).max(200).optional(),
    category: z.string().trim().min(1).max(100).optional(),
    min_price: amount.optional(),
    max_price: amount.optional(),
  })
  .refine((v) => v.min_price === undefined || v.max_price === undefined || v.min_price <= v.max_price, {
    path: ['min_price'],
    message: 'must not be greater than max_price',
  });

export const SET_FILTERS_TOOL: ToolSpec = {
  name: 'set_filters',
  description: 'Sets the catalog filters that match the shopper’s search text.',
  input_schema: {
    type: 'object',
    properties: {
      q: { type: 'string', maxLength: 200, description: 'Keywords that must all appear in a product' },
      category: { type: 'string', maxLength: 100, description: 'One of the catalog categories' },
      min_price: { type: 'number', minimum: 0, description: 'Lowest price' },
      max_price: { type: 'number', minimum: 0, description: 'Highest price' },
    },
    additionalProperties: false,
  },
};

export interface SuggestAnswer {
  filters: ProductFilters;
  products: ProductSummary[];
}

export interface SuggestDeps extends ModelAccess {
  catalog: CatalogReader;
}

/** A category the model named, as the catalog spells it; one the catalog does not have is dropped. */
function knownCategory(name: string | undefined, categories: string[]): string | undefined {
  if (name === undefined) return undefined;
  return categories.find((category) => category.toLowerCase() === name.toLowerCase());
}

/** The filters without unset keys (so the JSON shows only what was understood). */
function compact(filters: ProductFilters): ProductFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

async function withProducts(catalog: CatalogReader, filters: ProductFilters): Promise<SuggestAnswer> {
  const products = await findProducts(catalog, filters, { limit: SUGGEST_LIMIT, inStock: true });
  return { filters, products: products.map(toSummary) };
}

/**
 * Natural-language search: the model turns the text into filters through a forced tool call (its
 * input validated by schema; anything else → fallback), or the deterministic parser does; then
 * the catalog is searched with them (in-stock products only).
 */
export async function suggest(deps: SuggestDeps, query: string): Promise<SuggestAnswer & { source: Source }> {
  const overview = await deps.catalog.overview();
  return withFallback(
    'suggest',
    deps,
    async (model, deadline) => {
      const output = await structuredOutput(model, deadline, {
        system: systemPrompt(SUGGEST_INSTRUCTIONS, overview),
        content: query,
        tool: SET_FILTERS_TOOL,
        parse: (input) => filtersOutput.safeParse(input),
      });
      const filters = compact({ ...output, category: knownCategory(output.category, overview.categories) });
      return withProducts(deps.catalog, filters);
    },
    () => withProducts(deps.catalog, parseShoppingQuery(query, overview.categories)),
  );
}
