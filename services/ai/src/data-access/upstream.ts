import { AppError, type HttpResponse } from '@cartwheel/kit';

/**
 * Runs a call to `upstream` and turns "no usable answer" (the kit client's 502/503/504: down,
 * timed out, breaker open) into a 503 with Retry-After naming the upstream.
 */
export async function unavailableAs<T>(upstream: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) {
      throw new AppError(`${upstream}_unavailable`, 503, 'Service Unavailable', {
        detail: `The ${upstream} service is unavailable; try again shortly`,
        headers: { 'Retry-After': '5' },
        operational: true,
        cause: error,
      });
    }
    throw error;
  }
}

/** An answer this service cannot use (a status it never causes, a body of the wrong shape). */
export function unexpectedAnswer(upstream: string, response: HttpResponse): AppError {
  return new AppError(`${upstream}_bad_answer`, 502, 'Bad Gateway', {
    detail: `The ${upstream} service answered ${response.status} unexpectedly`,
    operational: true,
    cause: new Error(
      `${upstream} answered ${response.status}: ${JSON.stringify(response.body)?.slice(0, 500)}`,
    ),
  });
}
