import { z } from 'zod';
import { availableStock, type CatalogProduct, type CatalogReader, type StockReader } from './catalog.js';
import type { ToolResultBlock, ToolSpec, ToolUseBlock } from './model.js';
import { findProducts } from './product-search.js';

/** Most products one tool result lists. */
export const MAX_TOOL_PRODUCTS = 10;
/** Descriptions in tool results are cut to this many characters. */
export const MAX_TOOL_DESCRIPTION = 200;
/** No tool result is longer than this (characters of JSON). */
export const MAX_TOOL_RESULT_CHARS = 8_000;

const productId = z
  .string()
  .regex(/^[a-f0-9]{24}$/i, 'must be a product id (24 hexadecimal characters)')
  .describe('A product id as returned by search_products');
const amount = z.number().min(0).max(10_000_000);

const searchInput = z
  .strictObject({
    q: z.string().trim().max(200).optional().describe('Keywords that must all appear in a product'),
    category: z.string().trim().max(100).optional().describe('A category name from the catalog overview'),
    min_price: amount.optional().describe('Lowest price, in the catalog currency'),
    max_price: amount.optional().describe('Highest price, in the catalog currency'),
  })
  .refine((v) => v.min_price === undefined || v.max_price === undefined || v.min_price <= v.max_price, {
    path: ['min_price'],
    message: 'must not be greater than max_price',
  });
const idInput = z.strictObject({ product_id: productId });

/** A product a tool returned in this conversation: the only ones a reply may cite. */
export interface CitedProduct {
  id: string;
  name: string;
  price: number;
  currency: string;
}

interface ChatTool {
  spec: ToolSpec;
  run(input: unknown, context: ToolContext): Promise<unknown>;
}

export interface ToolContext {
  catalog: CatalogReader;
  stock: StockReader;
  /** Every product a tool returned, by id (filled as tools run). */
  cited: Map<string, CitedProduct>;
}

/** A tool refusing its input or finding nothing: returned to the model as `is_error`. */
class ToolError extends Error {}

function inputSchema(schema: z.ZodType): ToolSpec['input_schema'] {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return { ...json, type: 'object' };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ToolError(
    `invalid input: ${result.error.issues.map((i) => `${i.path.join('.') || 'input'} ${i.message}`).join('; ')}`,
  );
}

function cite(context: ToolContext, product: CatalogProduct): void {
  context.cited.set(product.id, {
    id: product.id,
    name: product.name,
    price: product.price,
    currency: product.currency,
  });
}

function describe(product: CatalogProduct) {
  const description =
    product.description.length > MAX_TOOL_DESCRIPTION
      ? `${product.description.slice(0, MAX_TOOL_DESCRIPTION)}…`
      : product.description;
  return {
    product_id: product.id,
    name: product.name,
    category: product.category,
    price: product.price,
    currency: product.currency,
    description,
  };
}

async function knownProduct(context: ToolContext, id: string): Promise<CatalogProduct> {
  const product = await context.catalog.get(id);
  if (!product) throw new ToolError(`no product has the id ${id}`);
  cite(context, product);
  return product;
}

const TOOLS: ChatTool[] = [
  {
    spec: {
      name: 'search_products',
      description: `Searches the catalog. Every word of q must match a product's name, description, category or tags. Returns at most ${MAX_TOOL_PRODUCTS} products with their ids and prices.`,
      input_schema: inputSchema(searchInput),
    },
    async run(input, context) {
      const filters = parse(searchInput, input);
      const found = await findProducts(context.catalog, filters, { limit: MAX_TOOL_PRODUCTS });
      found.forEach((product) => cite(context, product));
      return found.length > 0
        ? { products: found.map(describe) }
        : { products: [], note: 'Nothing matches; try fewer keywords, no category or a wider price range.' };
    },
  },
  {
    spec: {
      name: 'get_product',
      description: 'Returns one product by its id: name, category, price, currency, description.',
      input_schema: inputSchema(idInput),
    },
    async run(input, context) {
      return describe(await knownProduct(context, parse(idInput, input).product_id));
    },
  },
  {
    spec: {
      name: 'check_stock',
      description: 'Returns how many units of a product are available to order right now.',
      input_schema: inputSchema(idInput),
    },
    async run(input, context) {
      const product = await knownProduct(context, parse(idInput, input).product_id);
      const available = await availableStock(context.stock, product);
      return {
        product_id: product.id,
        name: product.name,
        available_quantity: available,
        in_stock: available > 0,
      };
    },
  },
];

/** The tools offered to the model in chat. */
export const CHAT_TOOLS: ToolSpec[] = TOOLS.map((tool) => tool.spec);

/**
 * Runs one tool call against the live catalog and inventory. The input is validated by the
 * tool's schema (the model's arguments are untrusted: they may echo the shopper's text); a bad
 * input, an unknown tool, a missing product or an unreachable service becomes an `is_error`
 * result the model can react to. Results are size-capped.
 */
export async function runTool(use: ToolUseBlock, context: ToolContext): Promise<ToolResultBlock> {
  const tool = TOOLS.find((candidate) => candidate.spec.name === use.name);
  const result = (content: string, isError = false): ToolResultBlock => ({
    type: 'tool_result',
    tool_use_id: use.id,
    content: content.length > MAX_TOOL_RESULT_CHARS ? content.slice(0, MAX_TOOL_RESULT_CHARS) : content,
    ...(isError ? { is_error: true } : {}),
  });
  if (!tool) return result(`unknown tool ${use.name}`, true);
  try {
    return result(JSON.stringify(await tool.run(use.input, context)));
  } catch (error) {
    if (error instanceof ToolError) return result(error.message, true);
    return result('the store could not be reached; try again later', true);
  }
}
