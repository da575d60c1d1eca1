import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../src/telemetry/otel.js';

/** Tracing on, every finished span kept in memory; `stop` restores the unset globals other suites expect. */
export function useInMemoryTracing(): { exporter: InMemorySpanExporter; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry({
    serviceName: 'kit-test',
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrument: false,
  });
  return {
    exporter,
    async stop() {
      await telemetry?.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

export const serviceOf = (span: ReadableSpan): string => String(span.resource.attributes['service.name']);

/** `order SERVER "GET /x"`, for assertion messages. */
export const describeSpan = (span: ReadableSpan): string =>
  `${serviceOf(span)} ${SpanKind[span.kind]} "${span.name}"`;
