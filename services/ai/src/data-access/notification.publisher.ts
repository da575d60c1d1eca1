import { createEvent, type EventBus } from '@cartwheel/kit';
import type { FollowUpNotification } from '../domain/send-follow-up.use-case.js';

/** DESIGN §7: the ai service's events. */
export const EVENT_SOURCE = '/services/ai';

/**
 * Publishes `ai.notification.ready` (subject and key: the order id) and resolves once the
 * transport acknowledged it. The event id is derived from the order, `ai-notification-<order_id>`,
 * so a second publication of the same order's email is the same event to its consumers.
 */
export function notificationPublisher(bus: EventBus, topic: string) {
  return (notification: FollowUpNotification): Promise<void> =>
    bus.publish(topic, [
      createEvent({
        source: EVENT_SOURCE,
        type: 'ai.notification.ready',
        subject: notification.order_id,
        id: `ai-notification-${notification.order_id}`,
        data: notification,
      }),
    ]);
}
