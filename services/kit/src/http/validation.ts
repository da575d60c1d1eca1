import type { z } from 'zod';
import { validationError } from '../errors/app-error.js';

/**
 * Parses `input` with `schema`, or throws a 400 AppError whose `errors` name every bad field
 * (`items.0.quantity`), prefixed with where it came from when that is not the body.
 *
 * @example const body = parseInput(placeOrderBody, ctx.request.body);
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      const path = where === 'body' ? field || 'body' : [where, field].filter(Boolean).join('.');
      return { path, message: issue.message };
    }),
  );
}
