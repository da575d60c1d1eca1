import { AsyncLocalStorage } from 'node:async_hooks';
import { createKitMetrics, type KitMetrics } from './kit-metrics.js';

/**
 * Which service the code running now belongs to, and that service's kit series. Several
 * services share one process, one event bus and one HTTP stack under the platform runner, so
 * kit code (buses, the outbox relay, the HTTP client) finds its service here instead of asking
 * every service to thread a registry through.
 */
export interface ServiceScope {
  readonly service: string;
  readonly metrics: KitMetrics;
}

const storage = new AsyncLocalStorage<ServiceScope>();

/** A new scope for `service`, with its own (not yet registered) kit series. */
export function createServiceScope(service: string): ServiceScope {
  return { service, metrics: createKitMetrics() };
}

/**
 * Runs `fn` (and everything it starts: servers, consumers, relays, timers) as `service`.
 * `startPlatform` runs each `ServiceDefinition.start` this way; the app that
 * `createServiceApp` makes inside exposes the scope's series on its `/metrics`.
 *
 * @param service a service name (a fresh scope) or a scope to re-enter.
 * @example await withServiceScope('order', () => service.start(runtime, port));
 */
export function withServiceScope<T>(service: string | ServiceScope, fn: () => T): T {
  return storage.run(typeof service === 'string' ? createServiceScope(service) : service, fn);
}

/** The scope of the code running now, if any. */
export function currentServiceScope(): ServiceScope | undefined {
  return storage.getStore();
}
