import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, forbidden, type Logger } from '@cartwheel/kit';
import { requestHash } from './idempotency.js';
import { orderPlaced } from './order-events.js';
import { orderView, type OrderView } from './order-view.js';
import { totalCents, type Address, type Caller, type Order } from './order.js';
import type { Catalog, KeyOutcome, OrderStore, Profiles, Stock } from './ports.js';
import { priceLines, type RequestedItem } from './pricing.js';

/** A validated `POST /orders` body. */
export interface PlaceOrderRequest {
  user_id?: string | number;
  items: RequestedItem[];
  shipping_address?: Address;
}

export interface IdempotencySettings {
  /** How long a request waits for another one holding the same key before answering 409. */
  waitMs: number;
  /** A claim older than this belongs to an attempt that died and may be taken over. */
  staleAfterSec: number;
  /** How often a waiting request looks again (default 25 ms). */
  pollMs?: number;
}

export interface PlaceOrderDeps {
  store: OrderStore;
  catalog: Catalog;
  stock: Stock;
  profiles: Profiles;
  logger: Logger;
  idempotency: IdempotencySettings;
  newOrderId?: () => string;
  now?: () => Date;
}

export interface Placed {
  /** 201, also when a repeated Idempotency-Key answers what its first request answered. */
  status: number;
  order: OrderView;
}

const noDefaultAddress = () =>
  new AppError('shipping_address_required', 422, 'Unprocessable Content', {
    detail: 'shipping_address: required, because you have no default address',
    errors: [{ path: 'shipping_address', message: 'required: you have no default address' }],
  });

/** The reserve failed without an answer (inventory down, timeout): it may still have happened. */
const outcomeUnknown = (error: unknown): boolean => error instanceof AppError && error.status >= 500;

/**
 * Releases the reservation of an order that will not exist. A failure is logged, not thrown:
 * the reservation was never confirmed by `order.placed`, so inventory's TTL sweeper releases it.
 */
async function compensate(deps: PlaceOrderDeps, orderId: string, cause: unknown): Promise<void> {
  deps.logger.warn({ order_id: orderId, err: cause }, 'placing the order failed after reserving: releasing');
  try {
    await deps.stock.release(orderId);
  } catch (error) {
    deps.logger.error(
      { order_id: orderId, err: error },
      'could not release the reservation; inventory releases it when it expires',
    );
  }
}

/** DESIGN §8 steps 1–4 under one order id. */
async function place(
  deps: PlaceOrderDeps,
  caller: Caller,
  request: PlaceOrderRequest,
  orderId: string,
  key?: Omit<KeyOutcome, 'status' | 'body'>,
): Promise<OrderView> {
  const [products, address] = await Promise.all([
    deps.catalog.findProducts(request.items.map((item) => item.product_id)),
    request.shipping_address ?? deps.profiles.defaultAddress(caller.token),
  ]);
  const { lines, currency } = priceLines(request.items, products);
  if (!address) throw noDefaultAddress();

  const items = lines.map(({ product_id, quantity }) => ({ product_id, quantity }));
  try {
    await deps.stock.reserve(orderId, items);
  } catch (error) {
    if (outcomeUnknown(error)) void compensate(deps, orderId, error);
    throw error;
  }

  const at = (deps.now?.() ?? new Date()).toISOString();
  const order: Order = {
    id: orderId,
    user_id: caller.subject,
    user_email: caller.email ?? null,
    status: 'pending',
    currency,
    total_cents: totalCents(lines),
    items: lines,
    shipping_address: address,
    created_at: at,
    updated_at: at,
  };
  const view = orderView(order);
  try {
    await deps.store.insertOrder(order, [orderPlaced(order)], key && { ...key, status: 201, body: view });
  } catch (error) {
    await compensate(deps, orderId, error);
    throw error;
  }
  return view;
}

/** A repeat of a key whose first request is still running, and did not finish in time. */
const stillInProgress = () =>
  new AppError('idempotency_key_in_progress', 409, 'Conflict', {
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly',
    headers: { 'Retry-After': '1' },
  });

const keyReused = () =>
  new AppError('idempotency_key_reused', 422, 'Unprocessable Content', {
    detail: 'This Idempotency-Key was used with a different request body',
    errors: [{ path: 'Idempotency-Key', message: 'already used with a different request body' }],
  });

/**
 * Places an order (DESIGN §8): prices from the catalog, reserves every item on inventory under a
 * new order id, then inserts the order, its lines, its history and `order.placed` in one
 * transaction; if that fails, the reservation is released.
 *
 * With an Idempotency-Key the key is claimed (INSERT … ON CONFLICT) before anything is reserved,
 * so concurrent requests with one key make one order: the others wait for it (up to
 * `idempotency.waitMs`, then 409 with Retry-After) and answer the same 201 and body. Only a
 * placed order is kept under the key; a refusal or failure frees it, so a retry really retries.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  caller: Caller,
  request: PlaceOrderRequest,
  idempotencyKey?: string,
): Promise<Placed> {
  if (request.user_id !== undefined && String(request.user_id) !== caller.subject) {
    throw forbidden('user_id must be your own id (or be left out)');
  }
  const newOrderId = deps.newOrderId ?? randomUUID;
  if (idempotencyKey === undefined) {
    return { status: 201, order: await place(deps, caller, request, newOrderId()) };
  }
  const request_hash = requestHash(request);
  const deadline = Date.now() + deps.idempotency.waitMs;
  for (;;) {
    const claim = await deps.store.keys.claim(
      { user_id: caller.subject, key: idempotencyKey, request_hash, order_id: newOrderId() },
      deps.idempotency.staleAfterSec,
    );
    if (claim.kind === 'completed') return { status: claim.status, order: claim.body as OrderView };
    if (claim.kind === 'mismatch') throw keyReused();
    if (claim.kind === 'claimed') {
      try {
        const key = { user_id: caller.subject, key: idempotencyKey };
        return { status: 201, order: await place(deps, caller, request, claim.order_id, key) };
      } catch (error) {
        await deps.store.keys
          .release(caller.subject, idempotencyKey, claim.order_id)
          .catch((releaseError) =>
            deps.logger.error(
              { err: releaseError },
              'could not free an Idempotency-Key; it frees itself when stale',
            ),
          );
        throw error;
      }
    }
    if (Date.now() >= deadline) throw stillInProgress();
    await sleep(deps.idempotency.pollMs ?? 25);
  }
}
