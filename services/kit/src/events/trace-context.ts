import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * Writes the active OpenTelemetry context into transport headers (W3C `traceparent`/`tracestate`
 * with the default propagator), so a consumer continues the producer's trace.
 *
 * @param headers headers to add to; they are returned (a new object when omitted).
 * @example const headers = injectTraceContext({ 'content-type': 'application/json' });
 */
export function injectTraceContext(headers: Record<string, string> = {}): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Runs `fn` inside the context carried by `headers`, so spans and log lines made by an event
 * handler join the trace that published the event.
 *
 * @param headers transport headers of a delivered event.
 * @param fn the handler to run.
 * @example await withTraceContext(delivery.headers, () => handler(event, delivery));
 */
export function withTraceContext<T>(headers: Record<string, string>, fn: () => T): T {
  // The root context, not the active one: a handler must not inherit the consumer loop's span.
  return context.with(propagation.extract(ROOT_CONTEXT, headers), fn);
}
