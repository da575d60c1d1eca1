import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CloudEvent } from './types.js';

export interface NewEvent<T = unknown> {
  /** URI-reference of the producer, e.g. `/services/order`. */
  source: string;
  /** Reverse-DNS-free dotted type from DESIGN §7, e.g. `order.placed`. */
  type: string;
  /** Aggregate id; becomes the Kafka key. */
  subject: string;
  data: T;
  /** Defaults to a random UUID; pass one to make re-publishing the same fact idempotent. */
  id?: string;
  /** Defaults to now. */
  time?: Date | string;
}

const nonEmpty = z.string().min(1);

const cloudEventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: nonEmpty,
    source: nonEmpty,
    type: nonEmpty,
    subject: nonEmpty,
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal('application/json'),
    data: z.unknown(),
  })
  // z.unknown() accepts a missing key; an event without `data` is a producer bug, not a null payload.
  .refine((value) => 'data' in value, { path: ['data'], message: 'Required' });

/**
 * Builds a CloudEvents 1.0 envelope (JSON structured mode, DESIGN §7).
 *
 * @param input source, type, subject (aggregate id), data; optional id and time.
 * @example const event = createEvent({ source: '/services/order', type: 'order.placed', subject: order.id, data: order });
 */
export function createEvent<T>(input: NewEvent<T>): CloudEvent<T> {
  const time =
    input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString());
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: input.type,
    subject: input.subject,
    time,
    datacontenttype: 'application/json',
    data: input.data,
  };
}

/**
 * Parses and validates a JSON-encoded CloudEvent as it arrives from a transport.
 * Throws an Error naming every bad field when the input is not a valid envelope.
 *
 * @param input the raw message value (Buffer, Uint8Array or string).
 * @example const event = parseEvent(message.value);
 */
export function parseEvent(input: Buffer | Uint8Array | string): CloudEvent {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Malformed event: not JSON (${(error as Error).message})`, { cause: error });
  }
  const result = cloudEventSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Malformed event: ${problems.join('; ')}`, { cause: result.error });
  }
  return result.data as CloudEvent;
}
