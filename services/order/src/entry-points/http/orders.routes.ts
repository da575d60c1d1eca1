import {
  authenticate,
  createApiRouter,
  hasAnyRole,
  requireRole,
  unauthorized,
  validationError,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Context } from 'koa';
import { z } from 'zod';
import {
  changeStatus,
  getOrder,
  listOrders,
  type ManageOrdersDeps,
} from '../../domain/manage-orders.use-case.js';
import type { Caller } from '../../domain/order.js';
import { placeOrder, type PlaceOrderDeps } from '../../domain/place-order.use-case.js';
import { countingRejections, type OrderMetrics } from '../../metrics.js';
import { idempotencyKey, listQuery, orderParams, orderView, placeOrderBody, statusBody } from './schemas.js';

export type OrderRoutesDeps = PlaceOrderDeps &
  ManageOrdersDeps & { verifier: TokenVerifier; metrics: OrderMetrics };

const BASE = '/api/v1/orders';
const tags = ['orders'];
const one = (description: string) => ({ description, schema: orderView });

/** The caller from the verified token, with the token itself (forwarded for their default address). */
function callerOf(ctx: Context): Caller {
  const identity = ctx.state.identity;
  if (!identity) throw unauthorized();
  return {
    subject: identity.subject,
    email: identity.email,
    admin: hasAnyRole(identity, ['admin']),
    service: hasAnyRole(identity, ['service']),
    token: ctx
      .get('Authorization')
      .replace(/^Bearer +/i, '')
      .trim(),
  };
}

function keyOf(ctx: Context): string | undefined {
  const header = ctx.get('Idempotency-Key');
  const parsed = idempotencyKey.safeParse(header === '' ? undefined : header);
  if (!parsed.success) {
    throw validationError([{ path: 'Idempotency-Key', message: parsed.error.issues[0].message }]);
  }
  return parsed.data;
}

/**
 * The order API (DESIGN §6 "order"): shoppers (role `user`) place orders; everyone signed in reads
 * what they may see (someone else's order is a 404); status changes follow the status machine.
 * Authentication runs before any validation.
 */
export function orderRoutes(deps: OrderRoutesDeps): ApiRouter {
  const api = createApiRouter();
  const signedIn = [authenticate(deps.verifier), requireRole('user', 'admin', 'service')];

  // The router is not strict: `/api/v1/orders/` (the seed's spelling) matches these too.
  api.route({
    method: 'post',
    path: BASE,
    summary: 'Place an order (prices from the catalog, stock reserved; optional Idempotency-Key header)',
    tags,
    secured: true,
    middleware: [authenticate(deps.verifier), requireRole('user')],
    body: placeOrderBody,
    responses: {
      201: one('Placed, status pending (a repeated Idempotency-Key answers the same order)'),
      403: { description: 'Not a shopper (admins cannot order), or user_id is not the caller' },
      409: {
        description:
          'A price changed (current prices in `items`), stock is short (per-item detail in `items`), or the Idempotency-Key is still in progress (Retry-After)',
      },
      422: {
        description:
          'Unknown or deleted product, mixed currencies, no shipping address, or the Idempotency-Key was used with another body',
      },
      503: {
        description: 'Catalog, inventory or user service unavailable (Retry-After); nothing was ordered',
      },
    },
    handler: async (ctx, { body }) => {
      const placed = await countingRejections(deps.metrics, () =>
        placeOrder(deps, callerOf(ctx), body, keyOf(ctx)),
      );
      ctx.status = placed.status;
      ctx.set('Location', `${BASE}/${placed.order._id}`);
      ctx.body = placed.order;
    },
  });

  api.route({
    method: 'get',
    path: BASE,
    summary: 'Orders newest first: your own; admins see all and may filter by user_id',
    tags,
    secured: true,
    middleware: signedIn,
    query: listQuery,
    responses: {
      200: { description: 'A page of orders; the total in X-Total-Count', schema: z.array(orderView) },
    },
    handler: async (ctx, { query }) => {
      const page = await listOrders(deps, callerOf(ctx), query);
      ctx.set('X-Total-Count', String(page.total));
      return page.orders;
    },
  });

  api.route({
    method: 'get',
    path: `${BASE}/:id`,
    summary: 'One order (yours, or any for an admin)',
    tags,
    secured: true,
    middleware: signedIn,
    params: orderParams,
    responses: { 200: one('The order'), 404: { description: 'No such order, or not yours' } },
    handler: (ctx, { params }) => getOrder(deps, callerOf(ctx), params.id),
  });

  api.route({
    method: 'put',
    path: `${BASE}/:id/status`,
    summary: 'Change the status: the owner may pay and cancel, an admin may make any legal move',
    tags,
    secured: true,
    middleware: signedIn,
    params: orderParams,
    body: statusBody,
    responses: {
      200: one('The order with its new status (unchanged if it already had it)'),
      409: { description: 'Not a legal move from the current status (`allowed` lists the legal ones)' },
      503: { description: 'Inventory unavailable while shipping (Retry-After); the order did not change' },
    },
    handler: (ctx, { params, body }) => changeStatus(deps, callerOf(ctx), params.id, body.status),
  });

  api.route({
    method: 'patch',
    path: `${BASE}/:id/cancel`,
    summary: 'Cancel (idempotent): the reservation is released; shipped or delivered orders → 409',
    tags,
    secured: true,
    middleware: signedIn,
    params: orderParams,
    responses: { 200: one('The cancelled order') },
    handler: (ctx, { params }) => changeStatus(deps, callerOf(ctx), params.id, 'cancelled'),
  });

  api.route({
    method: 'delete',
    path: `${BASE}/:id`,
    summary: 'Cancel (seed 6.4): 204, and the order stays readable with status cancelled',
    tags,
    secured: true,
    middleware: signedIn,
    params: orderParams,
    status: 204,
    responses: { 204: { description: 'Cancelled' } },
    handler: async (ctx, { params }) => {
      await changeStatus(deps, callerOf(ctx), params.id, 'cancelled');
      ctx.status = 204;
    },
  });
  return api;
}
