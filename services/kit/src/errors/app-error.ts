import { isTransientError } from './transient.js';

/** One field-level problem in a request: `path` is dotted (`items.0.quantity`), `message` says what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Human-readable explanation for this occurrence; shown to clients when `operational`. */
  detail?: string;
  /** Field-level errors (validation). */
  errors?: FieldError[];
  /** Extra members added to the problem document (e.g. `allowed`, `items`). */
  extensions?: Record<string, unknown>;
  /** Response headers to set (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** false for bugs: details are hidden from clients and the error is logged at error level. */
  operational?: boolean;
  cause?: unknown;
}

/**
 * The one error type services throw (STYLE.md §7). `code` is stable and machine-readable; the
 * HTTP layer renders it as `application/problem+json`; consumers and process handlers log it.
 *
 * @example throw new AppError('order_not_found', 404, 'Order not found');
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly operational: boolean;

  constructor(code: string, status: number, title: string, options: AppErrorOptions = {}) {
    super(title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.detail = options.detail;
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.headers = options.headers;
    this.operational = options.operational ?? status < 500;
  }
}

/** 400 with field errors; `detail` lists them in one sentence for clients that only read `detail`. */
export function validationError(errors: FieldError[], title = 'Invalid request'): AppError {
  const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
  return new AppError('validation_failed', 400, title, { detail, errors });
}

export const notFound = (what: string, detail?: string): AppError =>
  new AppError('not_found', 404, `${what} not found`, { detail: detail ?? `${what} not found` });

export const unauthorized = (detail = 'Authentication required'): AppError =>
  new AppError('unauthorized', 401, 'Unauthorized', { detail, headers: { 'WWW-Authenticate': 'Bearer' } });

export const forbidden = (detail = 'You are not allowed to do this'): AppError =>
  new AppError('forbidden', 403, 'Forbidden', { detail });

export const conflict = (code: string, detail: string, extensions?: Record<string, unknown>): AppError =>
  new AppError(code, 409, 'Conflict', { detail, extensions });

/**
 * Wraps anything thrown into an AppError. A dependency that is down (`isTransientError`: the
 * database restarting, an upstream unreachable) is a 503 with Retry-After, since trying again
 * shortly is the right answer; any other unknown error is a non-operational 500.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isTransientError(error)) {
    return new AppError('dependency_unavailable', 503, 'Service Unavailable', {
      detail: 'A service this request needs is unavailable; try again shortly',
      headers: { 'Retry-After': '5' },
      operational: true,
      cause: error,
    });
  }
  return new AppError('internal', 500, 'Internal Server Error', {
    detail: 'An unexpected error occurred',
    operational: false,
    cause: error,
  });
}
