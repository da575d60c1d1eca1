import type { ModelAccess } from './answer.js';
import { writeFollowUp, type PlacedOrder } from './follow-up-email.js';

/** What `ai.notification.ready` carries (common brief "Event contracts"). */
export interface FollowUpNotification {
  order_id: string;
  user_id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** A bounded set of recently handled keys, oldest forgotten first. */
export interface RecentSet {
  has(key: string): boolean;
  add(key: string): void;
}

/** An in-memory LRU set of at most `capacity` keys (a hit refreshes the key). */
export function recentSet(capacity: number): RecentSet {
  const keys = new Map<string, true>();
  return {
    has(key) {
      if (!keys.has(key)) return false;
      keys.delete(key);
      keys.set(key, true);
      return true;
    },
    add(key) {
      keys.delete(key);
      keys.set(key, true);
      while (keys.size > capacity) keys.delete(keys.keys().next().value as string);
    },
  };
}

export interface FollowUpDeps extends ModelAccess {
  /** Resolves once the transport acknowledged the notification. */
  publish(notification: FollowUpNotification): Promise<void>;
  /** Orders this process already followed up (skips writing a second email on redelivery). */
  handled: RecentSet;
}

/**
 * Writes the follow-up of a placed order and publishes it before returning, so the consumer acks
 * the order only after the notification is out (at-least-once). A redelivery this process already
 * handled is skipped; one it did not (after a restart) publishes again under the same event id,
 * which the notification service de-duplicates.
 */
export async function sendFollowUp(
  deps: FollowUpDeps,
  order: PlacedOrder,
): Promise<'published' | 'duplicate'> {
  if (deps.handled.has(order.id)) return 'duplicate';
  const email = await writeFollowUp(deps, order);
  await deps.publish({
    order_id: order.id,
    user_id: order.userId,
    to: order.email,
    subject: email.subject,
    html: email.html,
    text: email.text,
  });
  deps.handled.add(order.id);
  return 'published';
}
