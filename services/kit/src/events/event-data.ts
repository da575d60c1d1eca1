import type { z } from 'zod';
import type { CloudEvent } from './types.js';

/**
 * An event whose data breaks the consumer's schema: a producer bug that no retry can fix, so the
 * bus parks it in `<topic>.dlq` at once (`permanent`), with the message naming every bad field.
 */
export class MalformedEventError extends Error {
  readonly permanent = true;

  constructor(event: CloudEvent, problems: string[]) {
    super(`${event.type} ${event.id} has malformed data: ${problems.join('; ')}`);
    this.name = 'MalformedEventError';
  }
}

/**
 * An event's data checked against what the consumer relies on.
 *
 * @throws MalformedEventError naming every bad field (`items.0.quantity: Too small…`).
 * @example const { product_id } = parseEventData(stockUpdated, event);
 */
export function parseEventData<S extends z.ZodType>(schema: S, event: CloudEvent): z.output<S> {
  const result = schema.safeParse(event.data);
  if (result.success) return result.data;
  throw new MalformedEventError(
    event,
    result.error.issues.map((issue) => `${issue.path.join('.') || 'data'}: ${issue.message}`),
  );
}
