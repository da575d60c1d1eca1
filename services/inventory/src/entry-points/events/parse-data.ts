import type { CloudEvent } from '@cartwheel/kit';
import type { z } from 'zod';

/**
 * An event's data checked against what this consumer relies on. A malformed event is a
 * producer bug: the error names every bad field, the bus retries it and then parks it in the DLQ.
 */
export function parseData<S extends z.ZodType>(schema: S, event: CloudEvent): z.output<S> {
  const result = schema.safeParse(event.data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'data'}: ${issue.message}`);
  throw new Error(`${event.type} ${event.id} has malformed data: ${problems.join('; ')}`);
}
