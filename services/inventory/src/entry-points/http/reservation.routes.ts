import {
  AppError,
  authenticate,
  createApiRouter,
  requireRole,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { RunInTransaction } from '../../domain/ports.js';
import { reserveStock } from '../../domain/reserve-stock.use-case.js';
import { commitReservation, releaseReservation } from '../../domain/settle-reservation.use-case.js';
import { orderBody, reservationView, reserveBody } from './schemas.js';

export interface ReservationRoutesDeps {
  run: RunInTransaction;
  verifier: TokenVerifier;
  /** How long an unconfirmed reservation holds its stock. */
  reservationTtlSec: number;
}

/**
 * The seed's single-item body has no `items`: name its own fields in errors (`quantity`, not
 * `items.0.quantity`), so the client can find what to fix.
 */
function inSingleItemTerms(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.errors) return error;
  return new AppError(error.code, error.status, error.message, {
    detail: error.detail,
    extensions: error.extensions,
    headers: error.headers,
    errors: error.errors.map((e) => ({ ...e, path: e.path.replace(/^items\.0\./, '') })),
  });
}

/** Reserve, release and commit (DESIGN §6, §8): callers are services (the order service) and admins. */
export function reservationRoutes(deps: ReservationRoutesDeps): ApiRouter {
  const api = createApiRouter();
  const middleware = [authenticate(deps.verifier), requireRole('service', 'admin')];
  const tags = ['reservations'];

  api.route({
    method: 'post',
    path: '/api/v1/inventory/reserve',
    summary: 'Reserve every item of an order or none (idempotent per order_id)',
    tags,
    secured: true,
    middleware,
    body: reserveBody,
    responses: {
      201: { description: 'Reserved', schema: reservationView },
      200: {
        description: 'This order already holds exactly this reservation; nothing changed',
        schema: reservationView,
      },
      409: {
        description:
          'Short items (listed in `items` with what is available), discontinued, or order_id reused',
      },
      422: { description: 'A product has no inventory record' },
    },
    handler: async (ctx, { body }) => {
      try {
        const { created, reservation } = await reserveStock(deps.run, body, deps.reservationTtlSec);
        ctx.status = created ? 201 : 200;
        ctx.body = reservation;
      } catch (error) {
        throw body.single ? inSingleItemTerms(error) : error;
      }
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/inventory/release',
    summary: "Give an order's reserved units back (idempotent; 409 once committed)",
    tags,
    secured: true,
    middleware,
    body: orderBody,
    responses: { 200: { description: 'Released', schema: reservationView } },
    handler: (_ctx, { body }) => releaseReservation(deps.run, body.order_id),
  });

  api.route({
    method: 'post',
    path: '/api/v1/inventory/commit',
    summary:
      "Take an order's reserved units out of stock for good, when it ships (idempotent; 409 once released)",
    tags,
    secured: true,
    middleware,
    body: orderBody,
    responses: { 200: { description: 'Committed', schema: reservationView } },
    handler: (_ctx, { body }) => commitReservation(deps.run, body.order_id),
  });
  return api;
}
