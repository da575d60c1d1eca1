import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { openApiDocument, type ApiRouter } from './api-router.js';
import { operationalRoutes, type ReadinessCheck, type ReadinessState } from './health.js';
import { problemMiddleware } from './problem.js';
import { requestContext, securityHeaders } from './request-context.js';
import { createServiceScope, currentServiceScope } from '../telemetry/service-scope.js';

export interface AppOptions {
  /** Service name: metrics label, log field, OpenAPI title. */
  service: string;
  version?: string;
  logger: Logger;
  /** The API routers; their routes are validated and documented. */
  routers?: ApiRouter[];
  /** Dependencies `/ready` checks (database, broker, upstreams). */
  readiness?: ReadinessCheck[];
  /** Per-app registry, so several services can share one process (embedded mode). */
  registry?: Registry;
  /** JSON/form body limit; larger bodies get 413 (default 1mb). false disables body parsing (the gateway streams). */
  bodyLimit?: string | false;
  /**
   * Serves this document at `/openapi.json` instead of the one generated from `routers` (the
   * gateway serves the merged documents of its upstreams).
   */
  openApi?: () => unknown;
}

export interface ServiceApp {
  app: Koa;
  registry: Registry;
  /** Set `draining = true` to fail `/ready` during shutdown. */
  readiness: ReadinessState;
}

/**
 * The Koa application every service starts from: request id, JSON access logs, one problem+json
 * error mapping, body limits, security headers, `/health`, `/ready`, `/metrics`, `/openapi.json`,
 * and 404/405 for unknown routes. The service only adds its routers.
 *
 * @example const { app } = createServiceApp({ service: 'order', logger, routers: [orders] });
 */
export function createServiceApp(options: AppOptions): ServiceApp {
  const registry = options.registry ?? new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  // Made inside a service's scope (the platform starts every service in one), the kit's series of
  // that service (events, HTTP client) show on this app's /metrics; requests run as that service.
  const scope = currentServiceScope() ?? createServiceScope(options.service);
  scope.metrics.registerIn(registry);
  const readiness: ReadinessState = { draining: false };
  const routers = options.routers ?? [];
  const app = new Koa();
  app.proxy = true;
  app.silent = true;

  app.use(requestContext({ service: options.service, logger: options.logger, registry, scope }));
  app.use(problemMiddleware(options.logger));
  app.use(securityHeaders());
  if (options.bodyLimit !== false) {
    const limit = options.bodyLimit ?? '1mb';
    app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, strict: true }));
  }

  const ops = operationalRoutes({
    service: options.service,
    checks: options.readiness ?? [],
    state: readiness,
    registry,
  });
  ops.get('/openapi.json', async (ctx) => {
    // Built per request: routes may be added after the app is created.
    ctx.body = options.openApi
      ? await options.openApi()
      : openApiDocument(
          { title: `Cartwheel ${options.service} service`, version: options.version ?? '0.1.0' },
          routers,
        );
  });
  for (const router of [ops, ...routers.map((r) => r.router)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return { app, registry, readiness };
}
