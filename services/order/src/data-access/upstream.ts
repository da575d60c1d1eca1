import { AppError, type HttpResponse } from '@cartwheel/kit';

/** How long clients are asked to wait after an upstream outage (the breakers reopen within 10 s). */
export const RETRY_AFTER_SEC = '5';

/**
 * Runs a call to `upstream` and turns "no usable answer" (the kit client's 502/503/504: down,
 * timed out, breaker open, its 5xx) into a 503 with Retry-After, naming the upstream.
 */
export async function unavailableAs<T>(upstream: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) {
      throw new AppError(`${upstream}_unavailable`, 503, 'Service Unavailable', {
        detail: `The ${upstream} service is unavailable; try again shortly`,
        headers: { 'Retry-After': RETRY_AFTER_SEC },
        operational: true,
        cause: error,
      });
    }
    throw error;
  }
}

/** An answer the order service cannot use (a 4xx it should never cause, a body of the wrong shape). */
export function unexpectedAnswer(upstream: string, response: HttpResponse): AppError {
  return new AppError(`${upstream}_bad_answer`, 502, 'Bad Gateway', {
    detail: `The ${upstream} service answered ${response.status} unexpectedly`,
    operational: true,
    cause: new Error(
      `${upstream} answered ${response.status}: ${JSON.stringify(response.body)?.slice(0, 500)}`,
    ),
  });
}

interface ProblemBody {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
  [extension: string]: unknown;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'request_id', 'errors']);

/**
 * Passes an upstream's refusal (its problem+json) on to our client with the same status, code,
 * detail, field errors and extensions (inventory's short `items`), e.g. a 409 shortfall.
 */
export function passOn(response: HttpResponse): AppError {
  const body = (
    typeof response.body === 'object' && response.body !== null ? response.body : {}
  ) as ProblemBody;
  const code =
    typeof body.type === 'string' ? (body.type.split(':').pop() ?? 'upstream_refused') : 'upstream_refused';
  const extensions = Object.fromEntries(Object.entries(body).filter(([name]) => !PROBLEM_MEMBERS.has(name)));
  return new AppError(code, response.status, typeof body.title === 'string' ? body.title : 'Conflict', {
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    errors: Array.isArray(body.errors) ? (body.errors as AppError['errors']) : undefined,
    extensions,
  });
}
