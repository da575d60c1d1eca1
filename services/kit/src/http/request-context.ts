import { randomUUID } from 'node:crypto';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Histogram, type Registry } from 'prom-client';
import { withLogFields } from '../logging/log-context.js';
import { isKitLogger } from '../logging/logger.js';
import { withServiceScope, type ServiceScope } from '../telemetry/service-scope.js';
import { tracerFor, withSpan } from '../telemetry/tracing.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const OPERATIONAL = new Set(['/health', '/ready', '/metrics']);

export interface RequestContextOptions {
  service: string;
  logger: Logger;
  registry: Registry;
  /** The service the app belongs to: requests run as it (its kit series, its spans). */
  scope?: ServiceScope;
}

/**
 * Request id, server span, access log and RED metrics for every request. A well-formed incoming
 * `X-Request-Id` is kept (so one id follows a call across services), otherwise a UUID is made;
 * it is echoed in the response, put on `ctx.state.requestId` and on every log line written while
 * the request runs (`ctx.state.log` is the logger to use). The server span continues an
 * incoming W3C `traceparent`. Metrics use the matched route template, never the raw path, so
 * ids in paths cannot blow up label cardinality; a traced request leaves its `trace_id` as an
 * exemplar on the latency histogram (served with the OpenMetrics format).
 */
export function requestContext(options: RequestContextOptions): Middleware {
  const { service, logger, scope } = options;
  // <string>: the exemplar's label (trace_id) is not one of the series' labels.
  const duration = new Histogram<string>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    enableExemplars: true,
    // prom-client refuses exemplars at construction for a Prometheus-format registry, though it
    // renders them when /metrics is asked for OpenMetrics (see metrics-exposition.ts).
    registers: [],
  });
  options.registry.registerMetric(duration);
  // A logger of ours adds the request id to every line by itself; any other gets it bound.
  const bindsItself = isKitLogger(logger);
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = bindsItself ? logger : logger.child({ request_id: requestId });
    ctx.set('X-Request-Id', requestId);
    const quiet = OPERATIONAL.has(ctx.path);
    const parent = propagation.extract(ROOT_CONTEXT, ctx.headers);
    const span = quiet
      ? undefined
      : tracerFor(service).startSpan(
          ctx.method,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method, 'url.path': ctx.path } },
          parent,
        );
    const active = span ? withSpan(parent, span) : parent;

    const handle = async () => {
      try {
        await next();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = String((ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched');
        const labels = { method: ctx.method, route, status: String(ctx.status) };
        const traced = span?.isRecording() ? span.spanContext().traceId : undefined;
        duration.observe({ labels, value: seconds, exemplarLabels: traced ? { trace_id: traced } : {} });
        if (span) {
          span.updateName(`${ctx.method} ${route}`);
          span.setAttributes({ 'http.route': route, 'http.response.status_code': ctx.status });
          if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
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
        span?.end();
      }
    };
    const run = () => context.with(active, () => withLogFields({ request_id: requestId }, handle));
    await (scope ? withServiceScope(scope, run) : run());
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
