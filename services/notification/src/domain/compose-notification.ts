import type {
  AiNotificationReady,
  Composed,
  EmailContent,
  InventoryLow,
  NotificationType,
  OrderCancelled,
  OrderPlaced,
  OrderStatusChanged,
  UserCreated,
} from './notification.js';
import { isEmailAddress } from './recipient.js';
import { aiFollowUpEmail } from './templates/ai-follow-up.template.js';
import { inventoryLowEmail } from './templates/inventory-low.template.js';
import { orderConfirmationEmail } from './templates/order-placed.template.js';
import { orderCancelledEmail, orderStatusEmail } from './templates/order-status.template.js';
import { welcomeEmail } from './templates/welcome.template.js';

/** One consumed event, already validated, with the email type it leads to. */
export type NotificationRequest =
  | { type: 'welcome'; data: UserCreated }
  | { type: 'order_confirmation'; data: OrderPlaced }
  | { type: 'order_paid' | 'order_shipped' | 'order_delivered'; data: OrderStatusChanged }
  | { type: 'order_cancelled'; data: OrderCancelled }
  | { type: 'inventory_low'; data: InventoryLow }
  | { type: 'ai_follow_up'; data: AiNotificationReady };

export interface ComposeSettings {
  /** Who gets the low-stock alerts (`NOTIFY_ADMIN_EMAILS`). */
  adminEmails: string[];
}

function recipientsOf(request: NotificationRequest, settings: ComposeSettings): string[] {
  switch (request.type) {
    case 'welcome':
      return [request.data.email];
    case 'inventory_low':
      return settings.adminEmails;
    case 'ai_follow_up':
      return [request.data.to];
    default:
      return request.data.user_email ? [request.data.user_email] : [];
  }
}

function contentOf(request: NotificationRequest): EmailContent {
  switch (request.type) {
    case 'welcome':
      return welcomeEmail(request.data);
    case 'order_confirmation':
      return orderConfirmationEmail(request.data);
    case 'order_paid':
    case 'order_shipped':
    case 'order_delivered':
      return orderStatusEmail(request.data);
    case 'order_cancelled':
      return orderCancelledEmail(request.data);
    case 'inventory_low':
      return inventoryLowEmail(request.data);
    case 'ai_follow_up':
      return aiFollowUpEmail(request.data);
  }
}

/**
 * The email an event leads to, or why none can be sent: no recipient (an order event without
 * `user_email`, no admin address configured) or a recipient that is not one plain address —
 * which is also how CR/LF header injection through an address is refused.
 */
export function composeNotification(request: NotificationRequest, settings: ComposeSettings): Composed {
  const type: NotificationType = request.type;
  const to = recipientsOf(request, settings);
  if (to.length === 0) {
    return { skipped: type === 'inventory_low' ? 'no admin address configured' : 'no recipient address' };
  }
  const invalid = to.filter((address) => !isEmailAddress(address));
  if (invalid.length > 0) return { skipped: 'recipient is not a valid email address' };
  return { email: { type, to, ...contentOf(request) } };
}
