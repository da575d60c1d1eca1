import { createEvent, type CloudEvent } from '@cartwheel/kit';
import type { Order, OrderStatus } from './order.js';
import { orderView, publicUserId } from './order-view.js';

const SOURCE = '/services/order';

/**
 * `order.placed` (common brief "Event contracts", plus `user_email` for the notification
 * service): the order as the API shows it, keyed by the order id.
 */
export function orderPlaced(order: Order): CloudEvent {
  const view = orderView(order);
  return createEvent({
    source: SOURCE,
    type: 'order.placed',
    subject: order.id,
    time: order.created_at,
    data: {
      _id: view._id,
      user_id: view.user_id,
      user_email: order.user_email,
      items: view.items,
      total_price: view.total_price,
      currency: view.currency,
      status: view.status,
      shipping_address: view.shipping_address,
      created_at: view.created_at,
    },
  });
}

/**
 * The events of one status change: `order.status_changed` always, `order.cancelled` too when it
 * cancels. Both carry the contract's fields plus `user_id` and `user_email`, so a consumer (an
 * email to the customer) needs no call back to this service.
 */
export function statusChanged(order: Order, from: OrderStatus, at: string): CloudEvent[] {
  const who = { user_id: publicUserId(order.user_id), user_email: order.user_email };
  const events: CloudEvent[] = [
    createEvent({
      source: SOURCE,
      type: 'order.status_changed',
      subject: order.id,
      time: at,
      data: { _id: order.id, from, to: order.status, changed_at: at, ...who },
    }),
  ];
  if (order.status === 'cancelled') {
    events.push(
      createEvent({
        source: SOURCE,
        type: 'order.cancelled',
        subject: order.id,
        time: at,
        data: { _id: order.id, cancelled_at: at, ...who },
      }),
    );
  }
  return events;
}
