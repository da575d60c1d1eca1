import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Histogram, type Registry } from 'prom-client';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request id, access log and RED metrics for every request. A well-formed incoming
 * `X-Request-Id` is kept (so one id follows a call across services), otherwise a UUID is made;
 * it is echoed in the response and put on `ctx.state.requestId` and the child logger
 * `ctx.state.log`. Metrics use the matched route template, never the raw path, so ids in paths
 * cannot blow up label cardinality.
 */
export function requestContext(logger: Logger, registry: Registry): Middleware {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ request_id: requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      duration.observe({ method: ctx.method, route: String(route), status: String(ctx.status) }, seconds);
      const quiet = ctx.path === '/health' || ctx.path === '/ready' || ctx.path === '/metrics';
      (ctx.state.log as Logger)[quiet ? 'debug' : 'info'](
        {
          method: ctx.method,
          path: ctx.path,
          route,
          status: ctx.status,
          duration_ms: Math.round(seconds * 1000),
        },
        'request',
      );
    }
  };
}

/** Headers that make an API response safe to render nowhere and sniff never. */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    });
    await next();
  };
}
