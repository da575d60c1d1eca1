import { AppError, forbidden } from '@cartwheel/kit';
import type { OrderStatus } from './order.js';

/** DESIGN §6: pending → paid → shipped → delivered; pending|paid → cancelled. */
const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** What an order's owner may do themselves: pay and cancel. Shipping and delivery are the shop's. */
const OWNER_MOVES: ReadonlySet<OrderStatus> = new Set(['paid', 'cancelled']);

/** The statuses an order in `from` may move to. */
export const allowedNext = (from: OrderStatus): readonly OrderStatus[] => NEXT[from];

/**
 * Decides a requested move: `false` when the order is already in `to` (a repeated request
 * changes nothing, so PUT and cancel are idempotent), `true` when it must move. Throws 409
 * listing the allowed next states for a move the machine forbids, and 403 for a legal move the
 * caller may not make (the owner shipping their own order).
 *
 * @example if (planMove(order.status, 'paid', { admin: false })) await store.save(...);
 */
export function planMove(from: OrderStatus, to: OrderStatus, caller: { admin: boolean }): boolean {
  if (from === to) return false;
  const allowed = NEXT[from];
  if (!allowed.includes(to)) {
    const next = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'it is final';
    throw new AppError('illegal_transition', 409, 'Conflict', {
      detail: `An order that is ${from} cannot become ${to} (${next})`,
      errors: [{ path: 'status', message: `cannot go from ${from} to ${to}` }],
      extensions: { current_status: from, allowed },
    });
  }
  if (!caller.admin && !OWNER_MOVES.has(to)) {
    throw forbidden(`Only an admin may mark an order ${to}; you may pay or cancel it`);
  }
  return true;
}
