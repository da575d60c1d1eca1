import { propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { isTransientError } from '../errors/transient.js';
import { withLogFields } from '../logging/log-context.js';
import type { Logger } from '../logging/logger.js';
import { withServiceScope, type ServiceScope } from '../telemetry/service-scope.js';
import { inSpan, tracerFor } from '../telemetry/tracing.js';
import { parseEvent } from './envelope.js';
import type { CloudEvent, Delivery, EventHandler } from './types.js';

/** Headers added to an event parked in `<topic>.dlq`, so an operator can see why and replay it. */
export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  attempts: 'x-dlq-attempts',
  consumerGroup: 'x-dlq-consumer-group',
} as const;

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_BACKOFF_MS = 100;
/** The longest wait between attempts while a dependency is down. */
export const MAX_RETRY_BACKOFF_MS = 10_000;

/**
 * What the bus does after a handler attempt failed with `error`: a permanent error (`permanent:
 * true`, e.g. MalformedEventError) is dead-lettered at once; while a dependency is down
 * (`isTransientError`) the event is retried however long that takes; anything else is retried
 * until 1 + maxRetries attempts, then dead-lettered. Consumers that count their own DLQ series
 * ask the same question.
 *
 * @example if (nextStepAfterFailure(error, delivery.attempt, maxRetries) === 'dead-letter') metrics.parked();
 */
export function nextStepAfterFailure(
  error: unknown,
  attempt: number,
  maxRetries: number,
): 'retry' | 'dead-letter' {
  if ((error as { permanent?: unknown } | null)?.permanent === true) return 'dead-letter';
  if (isTransientError(error)) return 'retry';
  return attempt >= 1 + maxRetries ? 'dead-letter' : 'retry';
}

/** `handled` and `dead-lettered` may be committed; `abandoned` must be redelivered. */
export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'abandoned';

export interface DeliverArgs {
  raw: Buffer | string;
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  headers: Record<string, string>;
  handler: EventHandler;
  maxRetries: number;
  retryBackoffMs: number;
  /** Aborted when the subscription stops: no further retries, the event stays uncommitted. */
  signal: AbortSignal;
  /** Parks the raw event in the DLQ with `headers` added; must resolve only once stored. */
  deadLetter(headers: Record<string, string>): Promise<void>;
  /** Called before each retry wait (Kafka heartbeats here so a long backoff keeps the member alive). */
  beforeRetry?(): Promise<void>;
  logger?: Logger;
  /** The subscribing service: its kit series count the outcome, its spans show the handling. */
  scope?: ServiceScope;
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const describe = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/**
 * One handler attempt as the subscribing service, inside a consumer span that continues the
 * producer's trace (the W3C context in the transport headers; never the consumer loop's own
 * context), with `event_id` on every log line it writes.
 */
function handleAttempt(args: DeliverArgs, event: CloudEvent, delivery: Delivery): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, args.headers);
  const span = tracerFor(args.scope?.service ?? args.groupId).startSpan(
    `process ${args.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.destination.name': args.topic,
        'messaging.destination.partition.id': String(args.partition),
        'messaging.consumer.group.name': args.groupId,
        'messaging.kafka.offset': Number(args.offset),
        'messaging.message.id': event.id,
        'cloudevents.event_type': event.type,
        'cartwheel.delivery.attempt': delivery.attempt,
      },
    },
    parent,
  );
  const run = () =>
    inSpan(span, parent, () => withLogFields({ event_id: event.id }, () => args.handler(event, delivery)));
  return args.scope ? withServiceScope(args.scope, run) : run();
}

/**
 * Runs one delivery through the shared at-least-once policy of both transports: parse, call the
 * handler with doubling backoff (at most MAX_RETRY_BACKOFF_MS), then dead-letter after
 * 1 + maxRetries attempts. While the handler fails because a dependency is down
 * (`isTransientError`: database, broker, mail server or upstream unreachable) the event is not
 * parked but waits, holding its partition, until the dependency is back or the subscription
 * stops: parking it would lose its effect (an order's reservation never confirmed). A malformed
 * envelope, or data the handler rejects with MalformedEventError, is dead-lettered at once,
 * since no retry can fix it (`nextStepAfterFailure`).
 */
export async function deliverWithRetry(args: DeliverArgs): Promise<DeliveryOutcome> {
  const { topic, partition, offset, groupId, logger } = args;
  const count = (outcome: 'consumed' | 'failed' | 'dead_lettered', type: string) =>
    args.scope?.metrics.delivery(outcome, groupId, topic, type);
  const dlqHeaders = (error: unknown, attempts: number) => ({
    ...args.headers,
    [DLQ_HEADERS.reason]: describe(error),
    [DLQ_HEADERS.originalTopic]: topic,
    [DLQ_HEADERS.originalPartition]: String(partition),
    [DLQ_HEADERS.originalOffset]: offset,
    [DLQ_HEADERS.attempts]: String(attempts),
    [DLQ_HEADERS.consumerGroup]: groupId,
  });

  let event;
  try {
    event = parseEvent(args.raw);
  } catch (error) {
    logger?.error({ topic, partition, offset, groupId, err: error }, 'malformed event parked in the DLQ');
    await args.deadLetter(dlqHeaders(error, 0));
    count('dead_lettered', 'malformed');
    return 'dead-lettered';
  }

  let lastError: unknown;
  let attempt = 1;
  for (; ; attempt++) {
    try {
      await handleAttempt(args, event, { topic, partition, offset, headers: args.headers, attempt });
      count('consumed', event.type);
      return 'handled';
    } catch (error) {
      lastError = error;
      count('failed', event.type);
      const transient = isTransientError(error);
      logger?.warn(
        { topic, partition, offset, groupId, attempt, transient, event_id: event.id, err: error },
        transient
          ? 'event handler failed; a dependency is unavailable, waiting for it'
          : 'event handler failed',
      );
      if (args.signal.aborted) return 'abandoned';
      if (nextStepAfterFailure(error, attempt, args.maxRetries) === 'dead-letter') break;
      await args.beforeRetry?.();
      const backoff = Math.min(args.retryBackoffMs * 2 ** Math.min(attempt - 1, 20), MAX_RETRY_BACKOFF_MS);
      if (!(await sleep(backoff, args.signal))) return 'abandoned';
    }
  }
  logger?.error(
    { topic, partition, offset, groupId, attempts: attempt, event_id: event.id },
    'event parked in the DLQ',
  );
  await args.deadLetter(dlqHeaders(lastError, attempt));
  count('dead_lettered', event.type);
  return 'dead-lettered';
}
