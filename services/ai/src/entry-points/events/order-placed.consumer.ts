import { parseEventData, type EventHandler, type Logger } from '@cartwheel/kit';
import { z } from 'zod';
import type { PlacedOrder } from '../../domain/follow-up-email.js';
import { sendFollowUp, type FollowUpDeps } from '../../domain/send-follow-up.use-case.js';

/** The part of `order.placed` (common brief "Event contracts") the follow-up needs. */
const orderPlaced = z.object({
  _id: z.string().min(1),
  user_id: z.union([z.string().min(1), z.number()]).transform(String),
  user_email: z.string().min(3).max(320),
  items: z
    .array(
      z.object({
        product_id: z.string(),
        name: z.string(),
        quantity: z.number().int().positive(),
        price: z.number().nonnegative(),
      }),
    )
    .min(1),
  total_price: z.number().nonnegative(),
  currency: z.string().min(1),
});

const toOrder = (data: z.output<typeof orderPlaced>): PlacedOrder => ({
  id: data._id,
  userId: data.user_id,
  email: data.user_email,
  items: data.items,
  total: data.total_price,
  currency: data.currency,
});

/**
 * Consumes the `orders` topic: for each `order.placed` (other types are ignored), writes the
 * follow-up email and publishes `ai.notification.ready` before returning, so the bus commits the
 * order event only after the notification was acknowledged (at-least-once; see the README). A
 * malformed event is parked in `orders.dlq` at once (MalformedEventError).
 */
export function orderPlacedConsumer(deps: FollowUpDeps, logger: Logger): EventHandler {
  return async (event) => {
    if (event.type !== 'order.placed') return;
    const order = parseEventData(orderPlaced, event);
    const outcome = await sendFollowUp(deps, toOrder(order));
    logger.debug({ order_id: order._id, event_id: event.id, outcome }, 'order follow-up');
  };
}
