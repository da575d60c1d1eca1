import { injectTraceContext, traceClientCall, type AppError, type Logger } from '@cartwheel/kit';
import type { Context, Middleware } from 'koa';

import { clientResponseHeaders, upstreamRequestHeaders } from '../../domain/forward-headers.js';
import { bodyTooLarge, dotSegmentPath, noRoute, routesNotDiscovered } from '../../domain/gateway-errors.js';
import { hasDotSegment, type RouteSource } from '../../domain/route-table.js';
import type { UpstreamPool } from '../../data-access/upstream-client.js';
import type { GatewayMetrics } from '../../metrics.js';

export interface ProxyOptions {
  routes: RouteSource;
  pool: UpstreamPool;
  metrics: GatewayMetrics;
  bodyLimitBytes: number;
  logger: Logger;
  /** Response headers the gateway sets itself and an upstream must not override. */
  ownsHeader: (name: string) => boolean;
}

/** The request's body as the client framed it: a declared length, chunked, or none. */
function bodyFraming(ctx: Context, limit: number): { hasBody: boolean; chunked: boolean } {
  const declared = ctx.get('Content-Length');
  if (declared !== '') {
    const length = Number(declared);
    if (length > limit) throw bodyTooLarge(limit);
    return { hasBody: length > 0, chunked: false };
  }
  const chunked = /chunked/i.test(ctx.get('Transfer-Encoding'));
  return { hasBody: chunked, chunked };
}

/**
 * Forwards whatever reached it to the upstream whose prefix covers the path: method, path and
 * query unchanged, end-to-end headers, X-Forwarded-*, X-Request-Id, and the body streamed both
 * ways (never buffered). The upstream's status and headers (minus hop-by-hop) go back as they
 * came. Mount last.
 */
export function proxy(options: ProxyOptions): Middleware {
  const { metrics } = options;
  return async (ctx) => {
    if (hasDotSegment(ctx.path)) throw dotSegmentPath();
    if (!options.routes.ready()) throw routesNotDiscovered();
    const route = options.routes.table().resolve(ctx.path);
    if (!route) throw noRoute(ctx.method, ctx.path);
    const upstream = route.upstream.name;
    // The kit labels request metrics and access logs with this template instead of the raw path.
    (ctx as unknown as { _matchedRoute: string })._matchedRoute = `${route.prefix}/*`;

    const { hasBody, chunked } = bodyFraming(ctx, options.bodyLimitBytes);
    const client = ctx.state.client;
    if (!client) throw new TypeError('proxy must be mounted after identifyCaller');
    const headers = upstreamRequestHeaders(ctx.req.headers, {
      requestId: String(ctx.state.requestId),
      forwardedFor: client.forwardedFor,
      proto: client.proto,
      host: client.host,
      chunkedBody: chunked,
    });
    const started = process.hrtime.bigint();
    let response;
    try {
      // A CLIENT span of the gateway (until the upstream's headers arrive) that the upstream
      // continues; with tracing off, the client's traceparent passes as sent.
      response = await traceClientCall(
        `${ctx.method} ${upstream}`,
        { 'http.request.method': ctx.method, 'peer.service': upstream },
        async (span) => {
          const answered = await options.pool.forward(route.upstream, {
            method: ctx.method,
            path: ctx.path + (ctx.querystring ? `?${ctx.querystring}` : ''),
            headers: { ...headers, ...injectTraceContext() },
            body: hasBody ? ctx.req : undefined,
            client: ctx.res,
          });
          span.setAttribute('http.response.status_code', answered.statusCode ?? 0);
          return answered;
        },
        'gateway',
      );
    } catch (error) {
      const status = (error as AppError).status ?? 500;
      metrics.upstreamRequests.inc({ upstream, route: route.prefix, status: String(status) });
      // The rest of an over-long body is not read: the connection cannot be reused.
      if (status === 413) ctx.set('Connection', 'close');
      throw error;
    }
    metrics.upstreamDuration.observe({ upstream }, Number(process.hrtime.bigint() - started) / 1e9);
    const status = response.statusCode ?? 502;
    metrics.upstreamRequests.inc({ upstream, route: route.prefix, status: String(status) });

    ctx.status = status;
    // For the middleware above, the request was answered; Koa also destroys the stream when the
    // client leaves. Koa does not pipe it (respond = false): its stream.pipeline costs an
    // AbortController and a DOMException per response, a tenth of the gateway's time.
    ctx.body = response;
    ctx.respond = false;
    if (response.headers['content-type'] === undefined) ctx.res.removeHeader('content-type'); // Koa's default
    // Headers set by the middleware above (request id, security, rate limit, CORS) are on ctx.res already.
    ctx.res.writeHead(status, clientResponseHeaders(response.headers, options.ownsHeader));
    response.once('error', (error) => {
      options.logger.warn(
        { upstream, err: error },
        'upstream response broke off; the client got it truncated',
      );
      ctx.res.destroy(error);
    });
    response.pipe(ctx.res);
  };
}
