import {
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

import type { GatewayConfig } from './config.js';
import { createOpenApiSource } from './data-access/openapi-source.js';
import { createRateLimiter } from './data-access/rate-limit-store.js';
import { createUpstreamPool } from './data-access/upstream-client.js';
import { staticRouteSource, staticRoutes, type RouteSource } from './domain/route-table.js';
import { cors, isCorsHeader } from './entry-points/http/cors.middleware.js';
import { docsRoutes } from './entry-points/http/docs.routes.js';
import { identifyCaller, requireAuthentication } from './entry-points/http/edge.middleware.js';
import { proxy } from './entry-points/http/proxy.middleware.js';
import { isRateLimitHeader, rateLimit } from './entry-points/http/rate-limit.middleware.js';
import { webRoutes } from './entry-points/http/web.routes.js';
import { createGatewayMetrics } from './metrics.js';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  verifier: TokenVerifier;
  /** Default: the static table from the `<SERVICE>_URL` settings. */
  routes?: RouteSource;
  /** Shared rate-limit counters; without it limits are per instance, in memory. */
  redis?: Redis;
  /** Namespace of the rate-limit keys in Redis. */
  rateLimitKeyPrefix?: string;
  registry?: Registry;
  version?: string;
}

export interface Gateway extends ServiceApp {
  routes: RouteSource;
  /** Closes upstream connections and breakers (not the route source or Redis, which the caller owns). */
  close(): void;
}

/** The version the merged OpenAPI document carries. */
const VERSION = '0.1.0';

/**
 * The gateway app: the kit's service app (request id, logs, problem+json, security headers,
 * `/health`, `/ready`, `/metrics`) with body parsing off, `/docs` and the merged `/openapi.json`,
 * the storefront's files at `/`, then for everything else CORS → caller identification → rate
 * limit → edge authentication → streaming proxy.
 *
 * @example const { app } = createApp({ config, logger, verifier: verifierFromConfig(config) });
 */
export function createApp(deps: GatewayDeps): Gateway {
  const { config, logger } = deps;
  const routes =
    deps.routes ??
    staticRouteSource(
      staticRoutes({
        user: config.USER_URL,
        product: config.PRODUCT_URL,
        inventory: config.INVENTORY_URL,
        order: config.ORDER_URL,
        ai: config.AI_URL,
      }),
    );
  const readiness: ReadinessCheck[] = [
    {
      name: 'routes',
      check: async () => {
        if (!routes.ready()) throw new Error('routes not discovered yet');
      },
    },
  ];
  const service = createServiceApp({
    service: 'gateway',
    version: deps.version ?? VERSION,
    logger,
    registry: deps.registry,
    readiness,
    bodyLimit: false, // bodies stream through to the upstream untouched
    routers: [docsRoutes()],
    openApi: createOpenApiSource({
      routes: () => routes.table(),
      timeoutMs: config.OPENAPI_FETCH_TIMEOUT_MS,
      cacheMs: config.OPENAPI_CACHE_MS,
      version: deps.version ?? VERSION,
      logger,
    }),
  });
  const metrics = createGatewayMetrics(service.registry);
  const pool = createUpstreamPool({
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    retries: config.UPSTREAM_RETRIES,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    breaker: {
      errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: config.BREAKER_RESET_MS,
      rollingWindowMs: config.BREAKER_WINDOW_MS,
    },
    logger,
    onBreakerState: metrics.setBreakerState,
    onForget: metrics.forgetUpstream,
  });
  routes.onChange((table) => pool.retain(table.upstreams()));
  const limiter = createRateLimiter({
    limits: {
      default: config.RATE_LIMIT_PER_MINUTE,
      ai: config.RATE_LIMIT_AI_PER_MINUTE,
      auth: config.RATE_LIMIT_AUTH_PER_MINUTE,
    },
    redis: deps.redis,
    keyPrefix: deps.rateLimitKeyPrefix,
  });

  const { app } = service;
  // The storefront is public and outside /api: before CORS, rate limits and edge authentication.
  app.use(
    webRoutes({ root: config.WEB_ROOT, proxied: (path) => Boolean(routes.table().resolve(path)), logger }),
  );
  app.use(cors(config.CORS_ORIGINS));
  app.use(identifyCaller(deps.verifier, config.TRUST_PROXY));
  app.use(rateLimit(limiter, metrics));
  app.use(requireAuthentication());
  app.use(
    proxy({
      routes,
      pool,
      metrics,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      logger,
      ownsHeader: (name) => isRateLimitHeader(name) || isCorsHeader(name),
    }),
  );
  return { ...service, routes, close: () => pool.close() };
}
