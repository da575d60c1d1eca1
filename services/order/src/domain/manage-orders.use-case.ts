import { AppError, forbidden, notFound, type Logger } from '@cartwheel/kit';
import { statusChanged } from './order-events.js';
import { orderView, type OrderView } from './order-view.js';
import { canRead, type Caller, type Order, type OrderStatus } from './order.js';
import type { OrderFilter, OrderStore, Stock } from './ports.js';
import { planMove } from './status-machine.js';

export interface ManageOrdersDeps {
  store: OrderStore;
  stock: Stock;
  logger: Logger;
  now?: () => Date;
}

/** Someone else's order is a 404, never a 403 (DESIGN §6): its existence is not theirs to know. */
const orderNotFound = (id: string) => notFound('Order', `Order ${id} not found`);

export async function getOrder(deps: ManageOrdersDeps, caller: Caller, id: string): Promise<OrderView> {
  const order = await deps.store.findOrder(id);
  if (!order || !canRead(caller, order)) throw orderNotFound(id);
  return orderView(order);
}

/** A shopper's own orders; admins and services see everyone's and may filter by `user_id`. */
export async function listOrders(
  deps: ManageOrdersDeps,
  caller: Caller,
  filter: OrderFilter,
): Promise<{ orders: OrderView[]; total: number }> {
  const seesAll = caller.admin || caller.service;
  if (!seesAll && filter.user_id !== undefined && filter.user_id !== caller.subject) {
    return { orders: [], total: 0 };
  }
  const page = await deps.store.listOrders(seesAll ? filter : { ...filter, user_id: caller.subject });
  return { orders: page.orders.map(orderView), total: page.total };
}

/**
 * Cancelling gives the stock back synchronously, under the order's lock and before the status
 * changes: a reservation already committed (the order is being shipped) refuses the cancel.
 * When inventory cannot be reached the cancel still goes through: `order.cancelled`, committed
 * with it, makes inventory release the reservation once it is back.
 */
async function releaseForCancel(deps: ManageOrdersDeps, order: Order): Promise<void> {
  try {
    await deps.stock.release(order.id);
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) {
      deps.logger.warn(
        { order_id: order.id, err: error },
        'inventory unavailable while cancelling: it releases the reservation from order.cancelled',
      );
      return;
    }
    if (error instanceof AppError && error.status === 409) {
      throw new AppError('order_shipping', 409, 'Conflict', {
        detail: `Order ${order.id} cannot be cancelled: its stock was already committed for shipping`,
        extensions: { current_status: order.status },
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Moves an order to `to` (DESIGN §6 status machine) under a row lock, so concurrent changes of
 * one order run one after the other and none is lost. The owner may pay and cancel, an admin may
 * make any legal move; asking for the status the order already has changes nothing. Shipping
 * commits the reservation on inventory first (a released reservation → 409; inventory down →
 * 503 and the order stays paid); cancelling releases it (see `releaseForCancel`). The history
 * row and the events (`order.status_changed`, plus `order.cancelled`) commit with the change.
 */
export async function changeStatus(
  deps: ManageOrdersDeps,
  caller: Caller,
  id: string,
  to: OrderStatus,
): Promise<OrderView> {
  const order = await deps.store.updateLocked(id, async (current) => {
    if (!canRead(caller, current)) throw orderNotFound(id);
    if (!caller.admin && current.user_id !== caller.subject) {
      throw forbidden('Only the order’s owner or an admin may change its status');
    }
    if (!planMove(current.status, to, caller)) return undefined;
    if (to === 'shipped') await deps.stock.commit(current.id);
    if (to === 'cancelled') await releaseForCancel(deps, current);
    const at = (deps.now?.() ?? new Date()).toISOString();
    const changed: Order = { ...current, status: to, updated_at: at };
    return {
      order: changed,
      from: current.status,
      changed_by: caller.subject,
      events: statusChanged(changed, current.status, at),
    };
  });
  if (!order) throw orderNotFound(id);
  return orderView(order);
}
