import {
  nextStepAfterFailure,
  parseEventData,
  type CloudEvent,
  type EventBus,
  type EventHandler,
  type Subscription,
} from '@cartwheel/kit';
import type { NotificationRequest } from '../../domain/compose-notification.js';
import {
  DeliveryInFlightError,
  notify,
  type DeliveryDeps,
} from '../../domain/deliver-notification.use-case.js';
import type { NotificationType } from '../../domain/notification.js';
import { statusNotificationType } from '../../domain/templates/order-status.template.js';
import {
  aiNotificationReady,
  inventoryLow,
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  userCreated,
} from './event-schemas.js';

/** The topics this service consumes (tests use unique names). */
export interface NotificationTopics {
  users: string;
  orders: string;
  inventory: string;
  aiNotifications: string;
}

export const DEFAULT_TOPICS: NotificationTopics = {
  users: 'users',
  orders: 'orders',
  inventory: 'inventory',
  aiNotifications: 'ai-notifications',
};

/** An event this service emails about: its email type, and how to read its data. */
interface Plan {
  type: NotificationType;
  request: () => NotificationRequest;
}

type Route = (event: CloudEvent) => Plan | undefined;

const ROUTES: Record<keyof NotificationTopics, Record<string, Route>> = {
  users: {
    'user.created': (event) => ({
      type: 'welcome',
      request: () => ({ type: 'welcome', data: parseEventData(userCreated, event) }),
    }),
  },
  orders: {
    'order.placed': (event) => ({
      type: 'order_confirmation',
      request: () => ({ type: 'order_confirmation', data: parseEventData(orderPlaced, event) }),
    }),
    // Only paid, shipped and delivered write; the cancellation email comes from order.cancelled.
    'order.status_changed': (event) => {
      const to = (event.data as { to?: unknown } | null)?.to;
      const type = typeof to === 'string' ? statusNotificationType(to) : undefined;
      if (type !== 'order_paid' && type !== 'order_shipped' && type !== 'order_delivered') return undefined;
      return { type, request: () => ({ type, data: parseEventData(orderStatusChanged, event) }) };
    },
    'order.cancelled': (event) => ({
      type: 'order_cancelled',
      request: () => ({ type: 'order_cancelled', data: parseEventData(orderCancelled, event) }),
    }),
  },
  inventory: {
    'inventory.low': (event) => ({
      type: 'inventory_low',
      request: () => ({ type: 'inventory_low', data: parseEventData(inventoryLow, event) }),
    }),
  },
  aiNotifications: {
    'ai.notification.ready': (event) => ({
      type: 'ai_follow_up',
      request: () => ({ type: 'ai_follow_up', data: parseEventData(aiNotificationReady, event) }),
    }),
  },
};

export interface NotificationHandlerDeps {
  delivery: DeliveryDeps;
  topics: NotificationTopics;
  /** The subscription's retries: the attempt after the last retry is the one that dead-letters. */
  maxRetries: number;
}

/**
 * The handler of every consumed event: events without an email (stock.updated, a status change
 * to pending, …) are acknowledged untouched; the others are parsed, rendered and delivered once
 * in effect. A failure is counted and rethrown, so the bus retries with backoff and finally parks
 * the event in `<topic>.dlq`.
 */
export function notificationHandler(deps: NotificationHandlerDeps): EventHandler {
  const routesByTopic = new Map(
    (Object.keys(ROUTES) as Array<keyof NotificationTopics>).map((key) => [deps.topics[key], ROUTES[key]]),
  );
  const { observer } = deps.delivery;
  return async (event, delivery) => {
    const routes = routesByTopic.get(delivery.topic);
    const plan = routes && Object.hasOwn(routes, event.type) ? routes[event.type](event) : undefined;
    if (!plan) return;
    try {
      await notify(deps.delivery, event.id, plan.request());
    } catch (error) {
      if (!(error instanceof DeliveryInFlightError)) observer.failed(plan.type);
      if (nextStepAfterFailure(error, delivery.attempt, deps.maxRetries) === 'dead-letter')
        observer.deadLettered(plan.type);
      throw error;
    }
  };
}

export interface SubscribeNotificationsOptions extends NotificationHandlerDeps {
  bus: EventBus;
  /** Consumer group (`notification`). */
  groupId: string;
  retryBackoffMs: number;
}

/**
 * One subscription of the group to all four topics (the kit refuses a group split across topic
 * sets). The topics and their `.dlq` twins must exist (`bus.ensureTopics`).
 */
export function subscribeNotifications(options: SubscribeNotificationsOptions): Promise<Subscription> {
  return options.bus.subscribe({
    groupId: options.groupId,
    topics: Object.values(options.topics),
    handler: notificationHandler(options),
    maxRetries: options.maxRetries,
    retryBackoffMs: options.retryBackoffMs,
  });
}
