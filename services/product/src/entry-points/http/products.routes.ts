import { z } from 'zod';
import {
  authenticate,
  createApiRouter,
  requireRole,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Catalog } from '../../domain/catalog.use-cases.js';
import type { ProductEdit } from '../../domain/product.js';
import { guardBody, guardQuery } from './input-guards.js';
import {
  createProductBody,
  LIST_PARAMETERS,
  listProductsQuery,
  patchProductBody,
  productIdParams,
  replaceProductBody,
  searchProductsQuery,
  toListRequest,
} from './product.schemas.js';

export interface ProductRoutesDeps {
  catalog: Catalog;
  verifier: TokenVerifier;
}

const BASE = '/api/v1/products';
const TAGS = ['products'];

const productResponse = z.object({
  _id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  price: z.number(),
  currency: z.string(),
  quantity: z.number().int(),
  tags: z.array(z.string()),
  image_url: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
const one = (description: string) => ({ description, schema: productResponse });
const many = {
  description: 'Matching products (the total, regardless of paging, in X-Total-Count)',
  schema: z.array(productResponse),
};

/** Body fields in the use case's terms: `price` arrives in minor units from the schema. */
function toEdit(body: { price?: number } & Omit<ProductEdit, 'price_cents'>): ProductEdit {
  const { price, ...rest } = body;
  const edit: ProductEdit = price === undefined ? rest : { ...rest, price_cents: price };
  return Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined));
}

/**
 * The catalog's HTTP API (DESIGN §6 "product"): reads are public (a token, when sent, must be
 * valid), writes need the admin role. Authentication runs before any validation, so an
 * anonymous or customer write is a 401/403 whatever its body.
 */
export function productRoutes({ catalog, verifier }: ProductRoutesDeps): ApiRouter {
  const api = createApiRouter();
  const reader = authenticate(verifier, { optional: true });
  const admin = [authenticate(verifier), requireRole('admin')];
  const listRoute = (
    path: string,
    query: typeof listProductsQuery | typeof searchProductsQuery,
    summary: string,
  ) =>
    api.route({
      method: 'get',
      path,
      summary,
      tags: TAGS,
      query,
      responses: { 200: many },
      middleware: [reader, guardQuery(LIST_PARAMETERS)],
      handler: async (ctx, input) => {
        const page = await catalog.list(toListRequest(input.query));
        ctx.set('X-Total-Count', String(page.total));
        return page.items;
      },
    });

  api.route({
    method: 'post',
    path: BASE,
    summary: 'Create a product (admin); `quantity` is the initial stock',
    tags: TAGS,
    secured: true,
    body: createProductBody,
    status: 201,
    responses: { 201: one('The product created') },
    middleware: [...admin, guardBody(Object.keys(createProductBody.shape))],
    handler: async (ctx, { body }) => {
      const { price, ...rest } = body;
      const product = await catalog.create({ ...rest, price_cents: price });
      ctx.set('Location', `${BASE}/${product._id}`);
      return product;
    },
  });

  listRoute(
    BASE,
    listProductsQuery,
    'List products: filters, search (`q`), sort and paging; `ids` reads a batch',
  );
  listRoute(
    `${BASE}/search`,
    searchProductsQuery,
    'Search products: every word of `q` must match name, description, category or tags',
  );

  api.route({
    method: 'get',
    path: `${BASE}/:id`,
    summary: 'Get a product',
    tags: TAGS,
    params: productIdParams,
    responses: { 200: one('The product') },
    middleware: [reader],
    handler: (_ctx, { params }) => catalog.get(params.id),
  });

  const editRoute = (
    method: 'put' | 'patch',
    body: typeof replaceProductBody | typeof patchProductBody,
    summary: string,
    description: string,
  ) =>
    api.route({
      method,
      path: `${BASE}/:id`,
      summary: `${summary} (admin); quantity is not editable`,
      tags: TAGS,
      secured: true,
      params: productIdParams,
      body,
      responses: { 200: one(description) },
      middleware: [...admin, guardBody(Object.keys(body.shape))],
      handler: (_ctx, input) => catalog.edit(input.params.id, toEdit(input.body)),
    });
  editRoute('put', replaceProductBody, 'Replace the editable fields of a product', 'The product as replaced');
  editRoute('patch', patchProductBody, 'Change some fields of a product', 'The product as changed');

  api.route({
    method: 'delete',
    path: `${BASE}/:id`,
    summary: 'Delete a product (admin)',
    tags: TAGS,
    secured: true,
    params: productIdParams,
    status: 204,
    responses: { 204: { description: 'Deleted' } },
    middleware: admin,
    handler: async (ctx, { params }) => {
      await catalog.remove(params.id);
      ctx.status = 204;
    },
  });

  return api;
}
