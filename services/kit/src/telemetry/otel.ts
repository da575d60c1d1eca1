/**
 * OpenTelemetry bootstrap, imported through `@cartwheel/kit/telemetry` by each service's
 * `main.ts` before anything else. With no `OTEL_EXPORTER_OTLP_ENDPOINT` it does nothing and
 * every span is a cheap no-op; with one, traces go over OTLP/HTTP (to Tempo via a collector)
 * and http, koa, pg, mongodb, kafkajs and ioredis are instrumented.
 */
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL, e.g. `http://otel-collector:4318`; unset → telemetry off. */
  endpoint?: string;
  version?: string;
}

export interface Telemetry {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

let hooksRegistered = false;

/**
 * Starts tracing for this process (once). Returns undefined when no endpoint is configured.
 *
 * @example const telemetry = startTelemetry({ serviceName: 'order', endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
 */
export function startTelemetry(options: TelemetryOptions): Telemetry | undefined {
  if (!options.endpoint) return undefined;
  if (!hooksRegistered) {
    // ESM imports bypass require(); this loader hook lets instrumentations patch ESM-imported modules.
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    hooksRegistered = true;
  }
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    traceExporter: new OTLPTraceExporter({ url: new URL('/v1/traces', options.endpoint).toString() }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(health|ready|metrics)$/.test(req.url ?? ''),
      }),
      new KoaInstrumentation(),
      new PgInstrumentation(),
      new MongoDBInstrumentation(),
      new KafkaJsInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
