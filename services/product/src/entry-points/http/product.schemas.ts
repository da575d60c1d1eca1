import { z } from 'zod';
import type { ProductSort } from '../../data-access/catalog.repository.js';
import type { ListRequest } from '../../domain/catalog.use-cases.js';
import { decimalToCents, MAX_PRICE, priceToCents } from '../../domain/money.js';

export const MAX_QUANTITY = 100_000_000;
export const MAX_TAGS = 20;
export const MAX_IDS = 100;

const name = z.string().trim().min(1).max(200);
const description = z.string().max(5_000);
const category = z.string().trim().min(1).max(100);
const price = z
  .number()
  .meta({ description: `Greater than 0, at most ${MAX_PRICE}, at most two decimals` })
  .transform((amount, ctx) => {
    const result = priceToCents(amount);
    if ('cents' in result) return result.cents;
    ctx.issues.push({ code: 'custom', message: result.problem, input: amount });
    return z.NEVER;
  });
const quantity = z.number().int().min(0).max(MAX_QUANTITY);
const tags = z.array(z.string().trim().min(1).max(50)).max(MAX_TAGS);
const imageUrl = z
  .string()
  .max(2_048)
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), {
    message: 'must be an http(s) URL',
  })
  .nullable();
// Inventory owns stock after creation; naming the field beats a generic "unknown field".
const notEditableQuantity = z
  .never({ error: 'is not editable: stock is managed by the inventory service' })
  .optional();

export const createProductBody = z.strictObject({
  name,
  description,
  category,
  price,
  quantity,
  tags: tags.default([]),
  image_url: imageUrl.default(null),
});

/** PUT: every editable field; omitted optional ones are cleared. */
export const replaceProductBody = z.strictObject({
  name,
  description,
  category,
  price,
  tags: tags.default([]),
  image_url: imageUrl.default(null),
  quantity: notEditableQuantity,
});

/** PATCH: the fields given, at least one. */
export const patchProductBody = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    category: category.optional(),
    price: price.optional(),
    tags: tags.optional(),
    image_url: imageUrl.optional(),
    quantity: notEditableQuantity,
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'must change at least one field',
  });

export const productIdParams = z.object({ id: z.string() });

const SORTS = [
  'price',
  '-price',
  'name',
  '-name',
  'created_at',
  '-created_at',
] as const satisfies ProductSort[];

const amount = (field: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const cents = decimalToCents(text);
      if (cents !== undefined) return cents;
      ctx.issues.push({
        code: 'custom',
        message: `${field} must be an amount ≥ 0 with at most two decimals`,
        input: text,
      });
      return z.NEVER;
    })
    .optional();
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .optional();
const commaList = (max: number, itemMax: number) =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(itemMax)).max(max))
    .optional();

const listShape = {
  category: category.optional(),
  min_price: amount('min_price'),
  max_price: amount('max_price'),
  q: z.string().max(200).optional(),
  tags: commaList(MAX_TAGS, 50),
  in_stock: z.enum(['true', 'false']).optional(),
  sort: z.enum(SORTS).optional(),
  limit: integer(1, 100),
  offset: integer(0, 1_000_000),
  ids: commaList(MAX_IDS, 64),
};
const priceRangeInOrder: [
  (query: { min_price?: number; max_price?: number }) => boolean,
  { path: string[]; message: string },
] = [
  (query) =>
    query.min_price === undefined || query.max_price === undefined || query.min_price <= query.max_price,
  { path: ['min_price'], message: 'must not be greater than max_price' },
];

/** GET /products: every filter is optional and all given ones must hold. */
export const listProductsQuery = z.strictObject(listShape).refine(...priceRangeInOrder);

/** GET /products/search: the same, with `q` required. */
export const searchProductsQuery = z
  .strictObject({ ...listShape, q: z.string().trim().min(1).max(200) })
  .refine(...priceRangeInOrder);

export const LIST_PARAMETERS = Object.keys(listShape);

/** The validated query as the use case takes it; a batch read by ids defaults to one page of them. */
export function toListRequest(query: z.output<typeof listProductsQuery>): ListRequest {
  return {
    category: query.category,
    minPriceCents: query.min_price,
    maxPriceCents: query.max_price,
    q: query.q,
    tags: query.tags,
    inStock: query.in_stock === undefined ? undefined : query.in_stock === 'true',
    ids: query.ids,
    sort: query.sort,
    limit: query.limit ?? (query.ids ? MAX_IDS : 20),
    offset: query.offset ?? 0,
  };
}
