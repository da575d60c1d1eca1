import type { Middleware } from 'koa';
import { validationError, type FieldError } from '@cartwheel/kit';

/** Keys MongoDB would read as an operator (`$gt`) or a path (`a.b`), and qs-style nesting (`a[$ne]`). */
const OPERATOR_SHAPED = /^\$|[.[\]]/;
/** Deeper than any body the catalog accepts; stops a crafted body from exhausting the walk. */
const MAX_DEPTH = 16;
const MAX_ERRORS = 20;

const operatorMessage = 'names starting with "$" or containing "." are not accepted';

/**
 * Query strings: only the `allowed` parameters, each at most once and as plain text. Koa parses
 * `price[$ne]=1` into a key `price[$ne]`, and a repeated parameter into an array; both are refused
 * here (400 naming the parameter), so nothing operator-shaped can reach a database filter.
 */
export function guardQuery(allowed: readonly string[]): Middleware {
  const known = new Set(allowed);
  return async function guardQueryMiddleware(ctx, next) {
    const errors: FieldError[] = [];
    for (const [key, value] of Object.entries(ctx.query)) {
      const path = `query.${key}`;
      if (!known.has(key)) {
        errors.push({
          path,
          message: OPERATOR_SHAPED.test(key) ? operatorMessage : 'unknown query parameter',
        });
      } else if (typeof value !== 'string') {
        errors.push({ path, message: 'must be given once' });
      }
    }
    if (errors.length > 0) throw validationError(errors.slice(0, MAX_ERRORS));
    return next();
  };
}

/**
 * Bodies: a JSON object whose top-level fields are all `allowed`, with no key at any depth that
 * starts with `$` or contains `.` (400 naming each one). Values are then checked by the route's
 * zod schema, which refuses objects where text or numbers are expected (`{"$gt": ""}`).
 */
export function guardBody(allowed: readonly string[]): Middleware {
  const known = new Set(allowed);
  return async function guardBodyMiddleware(ctx, next) {
    // Set by the kit's body parser; typed here so the package builds without its type augmentation.
    const body = (ctx.request as { body?: unknown }).body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw validationError([{ path: 'body', message: 'must be a JSON object' }]);
    }
    const errors: FieldError[] = [];
    for (const key of Object.keys(body)) {
      if (!known.has(key) && !OPERATOR_SHAPED.test(key)) errors.push({ path: key, message: 'unknown field' });
    }
    const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
    while (stack.length > 0 && errors.length < MAX_ERRORS) {
      const { value, path } = stack.pop()!;
      if (typeof value !== 'object' || value === null) continue;
      if (path.length > MAX_DEPTH) {
        errors.push({ path: path.join('.'), message: 'is nested too deeply' });
        continue;
      }
      for (const [key, child] of Object.entries(value)) {
        if (!Array.isArray(value) && OPERATOR_SHAPED.test(key)) {
          errors.push({ path: [...path, key].join('.'), message: operatorMessage });
        }
        stack.push({ value: child, path: [...path, key] });
      }
    }
    if (errors.length > 0) throw validationError(errors.slice(0, MAX_ERRORS));
    return next();
  };
}
