/**
 * OpenTelemetry bootstrap, imported through `@cartwheel/kit/telemetry` (`runServices` does it
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` is set). With no endpoint it does nothing and every span is
 * a cheap no-op; with one, traces go over OTLP/HTTP (to Tempo, directly or via a collector).
 *
 * The kit makes its spans itself — HTTP server and client, database queries, event publish and
 * consume — so tracing works alike under tsx, the compiled build and the single-process
 * platform (where each service's spans carry its own `service.name`); the gateway's proxy makes
 * its client span with `traceClientCall`. The auto-instrumentations kept here cover only what
 * the kit does not: MongoDB and Redis.
 */
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { KIT_TRACER, setServiceTracers } from './tracing.js';

export interface TelemetryOptions {
  /** `service.name` of spans made outside any service (the process's own). */
  serviceName: string;
  /** OTLP/HTTP base URL, e.g. `http://tempo:4318`; unset (and no `spanProcessors`) → telemetry off. */
  endpoint?: string;
  version?: string;
  /** Where spans go instead of the OTLP exporter (tests: a SimpleSpanProcessor on an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
  /** Patch mongodb and ioredis too (default true). */
  instrument?: boolean;
}

export interface Telemetry {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

let hooksRegistered = false;

/**
 * Starts tracing for this process. Returns undefined when neither an endpoint nor span
 * processors are given.
 *
 * @example const telemetry = startTelemetry({ serviceName: 'order', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
 */
export function startTelemetry(options: TelemetryOptions): Telemetry | undefined {
  if (!options.endpoint && !options.spanProcessors) return undefined;
  const instrument = options.instrument ?? true;
  if (instrument && !hooksRegistered) {
    // ESM imports bypass require(); this loader hook lets instrumentations patch ESM-imported modules.
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    hooksRegistered = true;
  }
  const spanProcessors = options.spanProcessors ?? [
    new BatchSpanProcessor({
      exporter: new OTLPTraceExporter({ url: new URL('/v1/traces', options.endpoint).toString() }),
    }),
  ];
  const instrumentations = instrument ? [new MongoDBInstrumentation(), new IORedisInstrumentation()] : [];
  const sdk = new NodeSDK({ serviceName: options.serviceName, spanProcessors, instrumentations });
  sdk.start();
  const base = defaultResource();
  setServiceTracers((service) =>
    new TracerProvider({
      resource: base.merge(
        resourceFromAttributes({ [ATTR_SERVICE_NAME]: service, 'service.version': options.version }),
      ),
      spanProcessors,
    }).getTracer(KIT_TRACER, options.version),
  );
  return {
    async shutdown() {
      setServiceTracers(undefined);
      await sdk.shutdown();
      // NodeSDK leaves its patches in place, and their tracers keep the provider just shut down.
      for (const instrumentation of instrumentations) instrumentation.disable();
    },
  };
}
