import {
  listen,
  shutdown,
  type EventBus,
  type Logger,
  type RunningService,
  type ServiceApp,
  type ShutdownStep,
  type TokenVerifier,
} from '@cartwheel/kit';
import { Registry } from 'prom-client';
import { createApp } from './app.js';
import {
  createAnthropicModel,
  type AnthropicModel,
  type AnthropicSettings,
} from './data-access/anthropic.model.js';
import { notificationPublisher } from './data-access/notification.publisher.js';
import type { Upstreams } from './data-access/upstreams.js';
import { recentSet } from './domain/send-follow-up.use-case.js';
import { orderPlacedConsumer } from './entry-points/events/order-placed.consumer.js';
import { createAiMetrics } from './metrics.js';

/** DESIGN §7: consumes `orders`, publishes `ai-notifications`. */
export const DEFAULT_TOPICS = { orders: 'orders', notifications: 'ai-notifications' };
/** Orders remembered as handled, so a redelivery does not write a second email. */
export const HANDLED_ORDERS_CAPACITY = 10_000;

export interface AiServiceOptions {
  bus: EventBus;
  verifier: TokenVerifier;
  logger: Logger;
  upstreams: Upstreams;
  /** Absent when no API key is configured: no SDK client is even built. */
  provider?: AnthropicSettings;
  /** Budget of one answer for all its model turns (`AI_TIMEOUT_MS`). */
  timeoutMs: number;
  port: number;
  host?: string;
  /** Topics consumed and published (tests use unique ones). */
  topics?: { orders: string; notifications: string };
  /** Consumer group (default `ai`). */
  groupId?: string;
  /** Stop deadline (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningAiService extends RunningService {
  service: ServiceApp;
  /** The provider adapter, when a key is configured. */
  model?: AnthropicModel;
}

/**
 * Starts the HTTP API and the `order.placed` consumer. `stop()` fails `/ready`, drains HTTP,
 * stops the consumer, then the provider breaker and the upstream clients (STYLE.md §8).
 */
export async function startAiService(options: AiServiceOptions): Promise<RunningAiService> {
  const { bus, logger, upstreams } = options;
  const topics = options.topics ?? DEFAULT_TOPICS;
  const steps: ShutdownStep[] = [];
  const stop = async () => {
    await shutdown([...steps].reverse(), logger, options.shutdownTimeoutMs ?? 10_000);
  };
  steps.push({ name: 'upstream clients', stop: () => upstreams.close() });
  try {
    const registry = new Registry();
    const metrics = createAiMetrics(registry, logger);
    const model = options.provider ? createAnthropicModel(options.provider, metrics, logger) : undefined;
    if (model) {
      metrics.watchBreaker(() => model.breakerState());
      steps.push({ name: 'provider breaker', stop: () => model.close() });
    }
    logger.info(
      model ? { model: options.provider?.model } : {},
      model ? 'answering with the model' : 'no ANTHROPIC_API_KEY: every answer comes from the fallback',
    );
    await bus.ensureTopics([topics.orders, topics.notifications]);
    const access = { model, timeoutMs: options.timeoutMs, observer: metrics };
    const service = createApp({
      ...access,
      verifier: options.verifier,
      logger,
      catalog: upstreams.catalog,
      stock: upstreams.stock,
      registry,
      readiness: [{ name: 'event bus', check: () => bus.ping() }],
    });
    const subscription = await bus.subscribe({
      groupId: options.groupId ?? 'ai',
      topics: [topics.orders],
      handler: orderPlacedConsumer(
        {
          ...access,
          publish: notificationPublisher(bus, topics.notifications),
          handled: recentSet(HANDLED_ORDERS_CAPACITY),
        },
        logger,
      ),
    });
    steps.push({ name: 'order.placed consumer', stop: () => subscription.stop() });
    const server = await listen(service.app, options.port, options.host);
    steps.push({ name: 'http', stop: () => server.close() });
    steps.push({ name: 'readiness', stop: () => void (service.readiness.draining = true) });
    return { name: 'ai', url: server.url, service, model, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
