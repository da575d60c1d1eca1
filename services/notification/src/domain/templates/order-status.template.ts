import { formatDate } from '../dates.js';
import { headerText } from '../header-text.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import type { EmailContent, NotificationType, OrderCancelled, OrderStatusChanged } from '../notification.js';
import { orderReference } from './order-reference.js';

interface StatusWording {
  type: NotificationType;
  subject: (ref: string) => string;
  heading: string;
  line: string;
}

/**
 * The statuses that get an email of their own. `cancelled` is not here: a cancel publishes a
 * status change and `order.cancelled`, and only the latter writes (one email, not two).
 */
const STATUS_EMAILS: Record<string, StatusWording> = {
  paid: {
    type: 'order_paid',
    subject: (ref) => `Payment received for your Cartwheel order ${ref}`,
    heading: 'Payment received',
    line: 'We have received the payment for your order. We are getting it ready to ship.',
  },
  shipped: {
    type: 'order_shipped',
    subject: (ref) => `Your Cartwheel order ${ref} has shipped`,
    heading: 'Your order is on its way',
    line: 'Your order has left our warehouse and is on its way to you.',
  },
  delivered: {
    type: 'order_delivered',
    subject: (ref) => `Your Cartwheel order ${ref} has been delivered`,
    heading: 'Your order has arrived',
    line: 'Your order has been delivered. We hope you enjoy it!',
  },
};

/** The email type of a status change, or undefined when that status sends none. */
export const statusNotificationType = (status: string): NotificationType | undefined =>
  Object.hasOwn(STATUS_EMAILS, status) ? STATUS_EMAILS[status].type : undefined;

function orderUpdate(orderId: string, at: string, wording: Omit<StatusWording, 'type'>): EmailContent {
  const when = formatDate(at);
  return layout({
    subject: headerText(wording.subject(orderReference(orderId))),
    heading: wording.heading,
    body: html`<p>${wording.line}</p>
      <p style="color:#52525b">Order <strong>${orderId}</strong> · ${when}</p>`,
    text: `${wording.line}\n\nOrder ${orderId} · ${when}`,
  });
}

/** `order.status_changed` to paid, shipped or delivered → that step's email. */
export function orderStatusEmail(change: OrderStatusChanged): EmailContent {
  if (!Object.hasOwn(STATUS_EMAILS, change.to)) {
    throw new RangeError(`no email for order status "${change.to}"`);
  }
  return orderUpdate(change._id, change.changed_at, STATUS_EMAILS[change.to]);
}

/** `order.cancelled` → the cancellation email. */
export function orderCancelledEmail(order: OrderCancelled): EmailContent {
  return orderUpdate(order._id, order.cancelled_at, {
    subject: (ref) => `Your Cartwheel order ${ref} has been cancelled`,
    heading: 'Your order has been cancelled',
    line: 'Your order has been cancelled. If you had paid for it, the payment will be refunded.',
  });
}
