import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { currentServiceScope } from '../telemetry/service-scope.js';
import { inSpan, tracerFor } from '../telemetry/tracing.js';
import { injectTraceContext } from './trace-context.js';
import type { CloudEvent } from './types.js';

/**
 * Wraps one acknowledged publish of either bus: a producer span (child of the active span, or of
 * the `traceparent` in `headers` when none is active — the outbox relay passes the one captured
 * when the events were written), the span's context injected into the transport headers `send`
 * gets, and `events_published_total` counted once `send` resolved (= the transport acknowledged).
 */
export async function tracedPublish(
  system: 'kafka' | 'embedded',
  topic: string,
  events: CloudEvent[],
  headers: Record<string, string>,
  send: (headers: Record<string, string>) => Promise<void>,
): Promise<void> {
  const scope = currentServiceScope();
  const parent = trace.getSpan(context.active())
    ? context.active()
    : propagation.extract(context.active(), headers);
  const span = tracerFor(scope?.service).startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.batch.message_count': events.length,
        ...(events.length === 1
          ? { 'messaging.message.id': events[0].id, 'cloudevents.event_type': events[0].type }
          : {}),
      },
    },
    parent,
  );
  await inSpan(span, parent, () => send(injectTraceContext({ ...headers })));
  scope?.metrics.published(topic, events);
}
