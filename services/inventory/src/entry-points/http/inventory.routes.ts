import {
  authenticate,
  createApiRouter,
  notFound,
  requireRole,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Context } from 'koa';
import { z } from 'zod';
import { adjustStock, createStock, restock, updateStock } from '../../domain/manage-stock.use-case.js';
import type { RunInTransaction, StockQueries } from '../../domain/ports.js';
import type { StockRecord } from '../../domain/stock.js';
import {
  adjustBody,
  checkQuery,
  checkView,
  createBody,
  listQuery,
  productParams,
  restockBody,
  stockView,
  updateBody,
} from './schemas.js';

export interface InventoryRoutesDeps {
  run: RunInTransaction;
  queries: StockQueries;
  verifier: TokenVerifier;
}

/** The API's view of a record: seed 000's fields plus `discontinued`; version and low flag stay inside. */
export const toStockView = (record: StockRecord): z.output<typeof stockView> => ({
  id: record.id,
  product_id: record.product_id,
  available_quantity: record.available_quantity,
  reserved_quantity: record.reserved_quantity,
  reorder_threshold: record.reorder_threshold,
  discontinued: record.discontinued,
  created_at: record.created_at,
  updated_at: record.updated_at,
});

/** Who asked, for the adjustment log. */
const actor = (ctx: Context): string => ctx.state.identity?.subject ?? 'unknown';

/** Stock queries (any signed-in caller) and the admin's stock management. */
export function inventoryRoutes(deps: InventoryRoutesDeps): ApiRouter {
  const api = createApiRouter();
  const signedIn = [authenticate(deps.verifier), requireRole('user', 'admin', 'service')];
  const admin = [authenticate(deps.verifier), requireRole('admin')];
  const tags = ['inventory'];
  const common = { tags, secured: true } as const;

  const findOr404 = async (productId: string): Promise<StockRecord> => {
    const record = await deps.queries.findStock(productId);
    if (!record) throw notFound('Inventory', `No inventory for product ${productId}`);
    return record;
  };

  api.route({
    ...common,
    method: 'get',
    path: '/api/v1/inventory',
    summary: 'List stock records (admin); low_stock=true lists the ones below their reorder threshold',
    middleware: admin,
    query: listQuery,
    responses: {
      200: { description: 'Records by id; X-Total-Count holds the total', schema: z.array(stockView) },
    },
    handler: async (ctx, { query }) => {
      const page = await deps.queries.listStock({
        lowStock: query.low_stock,
        limit: query.limit,
        offset: query.offset,
      });
      ctx.set('X-Total-Count', String(page.total));
      return page.records.map(toStockView);
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/v1/inventory',
    summary: 'Create the stock record of a product (admin); 409 if it exists',
    middleware: admin,
    body: createBody,
    status: 201,
    responses: { 201: { description: 'Created', schema: stockView } },
    handler: async (_ctx, { body }) => toStockView(await createStock(deps.run, body)),
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/v1/inventory/:product_id',
    summary: "A product's stock (any signed-in caller)",
    middleware: signedIn,
    params: productParams,
    responses: { 200: { description: 'The record', schema: stockView } },
    handler: async (_ctx, { params }) => toStockView(await findOr404(params.product_id)),
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/v1/inventory/:product_id/check',
    summary: 'Whether `quantity` units could be reserved now',
    middleware: signedIn,
    params: productParams,
    query: checkQuery,
    responses: { 200: { description: 'The answer', schema: checkView } },
    handler: async (_ctx, { params, query }) => {
      const record = await findOr404(params.product_id);
      return {
        product_id: record.product_id,
        requested: query.quantity,
        available_quantity: record.available_quantity,
        available: !record.discontinued && record.available_quantity >= query.quantity,
      };
    },
  });

  api.route({
    ...common,
    method: 'put',
    path: '/api/v1/inventory/:product_id',
    summary: 'Set available quantity and/or reorder threshold (admin)',
    middleware: admin,
    params: productParams,
    body: updateBody,
    responses: { 200: { description: 'Updated', schema: stockView } },
    handler: async (_ctx, { params, body }) =>
      toStockView(await updateStock(deps.run, params.product_id, body)),
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/v1/inventory/adjust',
    summary: 'Correct available stock by a non-zero delta, with a reason (admin); 409 below zero',
    middleware: admin,
    body: adjustBody,
    responses: { 200: { description: 'Adjusted', schema: stockView } },
    handler: async (ctx, { body }) =>
      toStockView(await adjustStock(deps.run, { ...body, actor: actor(ctx) })),
  });

  api.route({
    ...common,
    method: 'patch',
    path: '/api/v1/inventory/:product_id/restock',
    summary: 'Add received units (admin)',
    middleware: admin,
    params: productParams,
    body: restockBody,
    responses: { 200: { description: 'Restocked', schema: stockView } },
    handler: async (ctx, { params, body }) =>
      toStockView(await restock(deps.run, params.product_id, body.quantity, actor(ctx))),
  });
  return api;
}
