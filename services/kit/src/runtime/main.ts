import { commonConfig, ConfigError, loadConfig } from '../config/config.js';
import { handleProcessSignals } from '../lifecycle/shutdown.js';
import { createLogger } from '../logging/logger.js';
import { startPlatform } from './platform.js';
import type { ServiceDefinition } from './runtime.js';

/**
 * The body of every `main.ts`: reads the environment, starts tracing when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, starts the given services (one in a service's container,
 * all of them for `make start`), prints where they listen and stops them gracefully on
 * SIGTERM/SIGINT (flushing spans last). A bad variable prints its name and exits 1.
 *
 * @example await runServices('user', [service]);
 */
export async function runServices(name: string, services: ServiceDefinition[]): Promise<void> {
  let config;
  try {
    config = loadConfig(commonConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  // Each service's lines carry its own name; a shared base `service` would repeat the key.
  const root = createLogger({ level: config.LOG_LEVEL });
  const logger = root.child({ service: name });
  // Loaded only when asked for: the OpenTelemetry SDK is heavy and most processes run without it.
  const telemetry = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import('../telemetry/otel.js')).startTelemetry({
        serviceName: name,
        endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      })
    : undefined;
  let platform;
  try {
    platform = await startPlatform({ services, env: process.env, logger: root });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const running = platform;
  handleProcessSignals(
    () => [
      { name, stop: async () => void (await running.stop(config.SHUTDOWN_TIMEOUT_MS)) },
      { name: 'telemetry', stop: () => telemetry?.shutdown() },
    ],
    logger,
    config.SHUTDOWN_TIMEOUT_MS,
  );
  const lines = running.services.map(
    (s) => `  ${s.name.padEnd(13)} ${s.url}  (${s.url}/health, ${s.url}/ready, ${s.url}/openapi.json)`,
  );
  console.log(
    [
      `Cartwheel ${name} is running in ${running.mode} mode (data in ${config.CARTWHEEL_DATA_DIR}).`,
      ...(lines.length > 0
        ? lines
        : ['  No services are registered yet (services/platform/src/services.ts).']),
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
}
