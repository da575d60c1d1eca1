/** One field-level problem, as every Cartwheel service reports them (`items.1.quantity`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An `application/problem+json` answer, or a failure to get any answer (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  /** The whole problem document, for extensions (`items`, `allowed`, `current_status`). */
  readonly problem: Record<string, unknown>;
  /** Seconds from `Retry-After`, when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Record<string, unknown>, retryAfter?: number) {
    const title = typeof problem.title === 'string' ? problem.title : `Request failed (${status})`;
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = typeof problem.detail === 'string' ? problem.detail : title;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as unknown[]).filter(isFieldProblem) : [];
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

function isFieldProblem(value: unknown): value is FieldProblem {
  const v = value as FieldProblem | null;
  return typeof v?.path === 'string' && typeof v.message === 'string';
}

/** The error for a response that is not 2xx, whatever its body (problem+json, other JSON, text). */
export function problemFrom(status: number, body: unknown, retryAfterHeader?: string | null): ApiError {
  const retry = retryAfterHeader ? Number(retryAfterHeader) : NaN;
  const problem =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : { title: `Request failed (${status})` };
  return new ApiError(status, problem, Number.isFinite(retry) ? retry : undefined);
}

/** The error for a request that got no answer at all. */
export function networkError(): ApiError {
  return new ApiError(0, {
    title: 'Network error',
    detail: 'Cartwheel could not be reached. Check your connection and try again.',
  });
}

/** What to tell a person about `error`: the server's `detail`, said plainly for the common cases. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.status === 429) {
    const wait = error.retryAfter !== undefined ? ` in ${error.retryAfter} s` : ' in a moment';
    return `Too many requests. Please try again${wait}.`;
  }
  return error.detail;
}

/**
 * The field errors of `error` keyed by field, for the fields a form shows: `prefix` is stripped
 * (`shipping_address.line1` → `line1`) and the first message per field wins.
 */
export function fieldErrors(error: unknown, prefix = ''): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const { path, message } of error.errors) {
    if (prefix && !path.startsWith(prefix)) continue;
    const field = path.slice(prefix.length);
    result[field] ??= message;
  }
  return result;
}

/** The field errors of `error` that no shown field displays (they go into the form's summary). */
export function unplacedErrors(error: unknown, shownFields: string[], prefix = ''): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  return error.errors.filter(
    ({ path }) => !(path.startsWith(prefix) && shownFields.includes(path.slice(prefix.length))),
  );
}
