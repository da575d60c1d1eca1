import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../errors/app-error.js';

/** The `application/problem+json` body (RFC 9457) every service answers errors with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/** Maps the http-errors thrown by koa, koa-bodyparser and @koa/router onto AppErrors. */
function fromHttpError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || error instanceof AppError) return undefined;
  const e = error as {
    status?: unknown;
    type?: unknown;
    expose?: unknown;
    message?: unknown;
    headers?: unknown;
  };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  const headers = (e.headers ?? undefined) as Record<string, string> | undefined;
  // co-body rethrows JSON.parse's SyntaxError with status 400 and no type.
  const kind = error instanceof SyntaxError ? 'entity.parse.failed' : (e.type ?? e.status);
  switch (kind) {
    case 'entity.too.large':
    case 413:
      return new AppError('payload_too_large', 413, 'Payload Too Large', {
        detail: 'The request body exceeds the size limit',
      });
    case 'entity.parse.failed':
      return new AppError('malformed_body', 400, 'Malformed request body', {
        detail: 'The request body is not valid JSON',
        errors: [{ path: 'body', message: 'not valid JSON' }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 415:
      return new AppError('unsupported_media_type', 415, 'Unsupported Media Type', {
        detail: String(e.message),
      });
    default:
      return new AppError('bad_request', e.status, 'Bad Request', {
        detail: e.expose ? String(e.message) : 'The request could not be processed',
        headers,
      });
  }
}

/** Renders `error` as problem+json on `ctx`. Details of non-operational errors stay hidden. */
export function renderProblem(ctx: Context, error: AppError): void {
  const body: Problem = {
    type: `urn:cartwheel:problem:${error.code}`,
    title: error.message,
    status: error.status,
    detail: error.operational ? (error.detail ?? error.message) : 'An unexpected error occurred',
    instance: ctx.path,
    request_id: ctx.state.requestId as string | undefined,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.operational ? error.extensions : {}),
  };
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
  ctx.body = body;
  ctx.type = 'application/problem+json';
}

/**
 * The one error middleware (STYLE.md §7), mounted first: every error becomes problem+json;
 * 5xx are logged with their cause, 4xx are not errors of ours and log at debug.
 */
export function problemMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // Nothing answered (404), or @koa/router's allowedMethods set 405/501 with an Allow header.
      if (ctx.body == null && ctx.status === 404) {
        throw new AppError('route_not_found', 404, 'Not Found', {
          detail: `No route for ${ctx.method} ${ctx.path}`,
        });
      }
      if (ctx.body == null && (ctx.status === 405 || ctx.status === 501)) {
        throw new AppError('method_not_allowed', ctx.status, 'Method Not Allowed', {
          detail: `${ctx.path} does not accept ${ctx.method}; allowed: ${ctx.response.get('Allow')}`,
        });
      }
    } catch (thrown) {
      const error = fromHttpError(thrown) ?? toAppError(thrown);
      const log = (ctx.state.log as Logger | undefined) ?? logger;
      if (error.status >= 500) log.error({ err: error.cause ?? error, code: error.code }, error.message);
      else log.debug({ code: error.code, status: error.status }, error.detail ?? error.message);
      renderProblem(ctx, error);
    }
  };
}
