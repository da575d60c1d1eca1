import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { currentServiceScope } from './service-scope.js';

/** The instrumentation scope of every span the kit makes. */
export const KIT_TRACER = '@cartwheel/kit';

let makeTracer: ((service: string) => Tracer) | undefined;
const tracers = new Map<string, Tracer>();

/**
 * Installed by `startTelemetry`: one tracer per service, so the spans of services sharing one
 * process (the platform runner) each carry their own `service.name`. Undefined turns it off.
 */
export function setServiceTracers(make: ((service: string) => Tracer) | undefined): void {
  makeTracer = make;
  tracers.clear();
}

/** True while `startTelemetry` has tracing on (the kit skips work whose only use is spans). */
export function tracingEnabled(): boolean {
  return makeTracer !== undefined;
}

/**
 * The tracer for spans made on behalf of `service`; with telemetry off, the global one (a no-op
 * unless something else registered a provider).
 *
 * @example const span = tracerFor('order').startSpan('reserve', {}, context.active());
 */
export function tracerFor(service: string | undefined): Tracer {
  if (!makeTracer) return trace.getTracer(KIT_TRACER);
  const name = service ?? 'unknown_service';
  let tracer = tracers.get(name);
  if (!tracer) {
    tracer = makeTracer(name);
    tracers.set(name, tracer);
  }
  return tracer;
}

/** Marks `span` failed with `error` (exception event plus error status). */
export function failSpan(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message.slice(0, 500) });
}

/** `parent` with `span` active, unless the span is the no-op outside any trace (then `parent`). */
export function withSpan(parent: Context, span: Span): Context {
  return isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent;
}

/**
 * Runs `fn` with `span` active on top of `parent`, then ends the span; a rejection marks it
 * failed and is rethrown.
 *
 * @example await inSpan(span, context.active(), () => bus.publish(topic, events));
 */
export async function inSpan<T>(span: Span, parent: Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(withSpan(parent, span), fn);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs an outgoing call inside a CLIENT span of the current service (child of the active span),
 * so `injectTraceContext()` inside `call` gives the traceparent the callee continues. The kit's
 * HTTP client does this for every request; use it for other outgoing calls (a proxy).
 *
 * @param name low-cardinality span name, e.g. `GET inventory`.
 * @param attributes e.g. `{ 'http.request.method': 'GET', 'peer.service': 'inventory' }`.
 * @param call the call; its span ends when it settles and is marked failed when it rejects.
 * @param service the service making the call (default: the current service scope's).
 * @example const res = await traceClientCall('GET inventory', {}, () => forward({ ...headers, ...injectTraceContext() }));
 */
export function traceClientCall<T>(
  name: string,
  attributes: Attributes,
  call: (span: Span) => Promise<T>,
  service = currentServiceScope()?.service,
): Promise<T> {
  const parent = context.active();
  const span = tracerFor(service).startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  return inSpan(span, parent, () => call(span));
}
