import { AppError, parseEventData, type Logger } from '@cartwheel/kit';
import { z } from 'zod';
import { releaseOrder } from '../../domain/settle-reservation.use-case.js';
import { orderId } from '../identifiers.js';
import type { EventAction } from './consumer.js';

const orderEvent = z.object({ _id: orderId });

/**
 * `order.placed` confirms the order's reservation (the sweeper no longer releases it);
 * `order.cancelled` releases it. The order service also releases synchronously when it cancels,
 * so finding it released already is the normal case, and an order without a reservation or one
 * already shipped is logged and left alone.
 */
export function orderEventActions(log: Logger): Record<string, EventAction> {
  return {
    'order.placed': async (tx, event) => {
      const { _id } = parseEventData(orderEvent, event);
      const confirmed = await tx.confirmReservation(_id);
      if (confirmed === 0) {
        const lines = await tx.findReservation(_id);
        const states = [...new Set(lines.map((line) => line.state))];
        // Released before the confirmation arrived (expired while the event was held up): stock is
        // no longer held for this order, which somebody must hear about.
        const level = lines.length === 0 || states.includes('released') ? 'warn' : 'debug';
        log[level]({ order_id: _id, states }, 'order.placed: no unconfirmed reservation to confirm');
      }
    },
    'order.cancelled': async (tx, event) => {
      const { _id } = parseEventData(orderEvent, event);
      try {
        const reservation = await releaseOrder(tx, _id);
        log.info({ order_id: _id, state: reservation.state }, 'order.cancelled: reservation released');
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 404 && error.status !== 409)) throw error;
        log.warn({ order_id: _id, code: error.code }, 'order.cancelled: nothing to release');
      }
    },
  };
}
