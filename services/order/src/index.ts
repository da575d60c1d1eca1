/** @cartwheel/order: orders placed safely (reservation, status machine, cancellation) on PostgreSQL. Exports its ServiceDefinition as `service`. */
import {
  createClientCredentialsTokens,
  databaseFor,
  loadConfig,
  verifierFromConfig,
  type ServiceDefinition,
} from '@cartwheel/kit';
import { orderConfig } from './config.js';
import { createUpstreams } from './data-access/upstreams.js';
import { startOrderService } from './order-service.js';

export { createApp, DEFAULT_IDEMPOTENCY, type AppDeps } from './app.js';
export { orderConfig, type OrderConfig } from './config.js';
export { migrate } from './data-access/migrate.js';
export { createOrderStore, type OrderStoreOptions } from './data-access/order.store.js';
export { createUpstreams, type UpstreamOptions, type Upstreams } from './data-access/upstreams.js';
export type { Order, OrderStatus } from './domain/order.js';
export type { OrderView } from './domain/order-view.js';
export type { OrderStore } from './domain/ports.js';
export {
  DEFAULT_TOPIC,
  startOrderService,
  type OrderServiceDeps,
  type RunningOrderService,
} from './order-service.js';

/** The order service (DESIGN §3: port 8084, PostgreSQL, publishes `orders`). */
export const service: ServiceDefinition = {
  name: 'order',
  defaultPort: 8084,
  async start(runtime, port) {
    const config = loadConfig(orderConfig, runtime.env);
    const getToken = createClientCredentialsTokens({
      tokenUrl: new URL('/api/v1/auth/token', config.USER_URL).toString(),
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    });
    return startOrderService({
      db: databaseFor(runtime, 'order'),
      ownsDb: true,
      bus: runtime.bus,
      verifier: verifierFromConfig(config),
      logger: runtime.logger,
      upstreams: createUpstreams({
        userUrl: config.USER_URL,
        productUrl: config.PRODUCT_URL,
        inventoryUrl: config.INVENTORY_URL,
        getToken,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        logger: runtime.logger,
      }),
      port,
      idempotency: { waitMs: config.IDEMPOTENCY_WAIT_MS, staleAfterSec: config.IDEMPOTENCY_STALE_SEC },
      keyTtlSec: config.IDEMPOTENCY_KEY_TTL_SEC,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
  },
};
