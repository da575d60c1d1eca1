import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { shutdown } from '../lifecycle/shutdown.js';
import type { EventBus } from '../events/types.js';
import type { Logger } from '../logging/logger.js';
import { withServiceScope } from '../telemetry/service-scope.js';
import { createBusFromEnv, type RunningService, type ServiceDefinition } from './runtime.js';

export interface PlatformOptions {
  services: ServiceDefinition[];
  env: NodeJS.ProcessEnv;
  /** A root logger without a `service` binding: each service gets a child naming itself. */
  logger: Logger;
}

export interface RunningPlatform {
  mode: 'embedded' | 'connected';
  bus: EventBus;
  services: RunningService[];
  /** Stops services in reverse start order, then the bus. */
  stop(deadlineMs?: number): Promise<boolean>;
}

/** `<NAME>_PORT` overrides a service's DESIGN §3 port (`GATEWAY_PORT=9090`). */
function portFor(service: ServiceDefinition, env: NodeJS.ProcessEnv): number {
  const value = env[`${service.name.toUpperCase()}_PORT`];
  if (value === undefined || value === '') return service.defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${service.name.toUpperCase()}_PORT must be a port number, got "${value}"`);
  }
  return port;
}

/**
 * Starts every service in one process (DESIGN §5): one shared event bus (in-process, or Kafka
 * when `KAFKA_BROKERS` is set), each service with its own data under `CARTWHEEL_DATA_DIR`.
 * If one service fails to start, the ones already started are stopped and the error is thrown.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { env, logger } = options;
  const own = logger.child({ component: 'platform' });
  const dataDir = path.resolve(env.CARTWHEEL_DATA_DIR || '.data');
  const connected = Boolean(
    env.KAFKA_BROKERS ||
    env.MONGO_URL ||
    env.REDIS_URL ||
    Object.keys(env).some((k) => k.endsWith('DATABASE_URL') && env[k]),
  );
  const mode = connected ? 'connected' : 'embedded';
  const bus = createBusFromEnv(env, 'cartwheel-platform', own, dataDir);
  const started: RunningService[] = [];
  const stop = (deadlineMs = 10_000) =>
    shutdown(
      [
        ...[...started].reverse().map((s) => ({ name: s.name, stop: () => s.stop() })),
        { name: 'event bus', stop: () => bus.close() },
      ],
      own,
      deadlineMs,
    );
  // Later services find earlier ones through `<NAME>_URL` (USER_URL, PRODUCT_URL, ...), which
  // follows the real port when `<NAME>_PORT=0` picked a free one.
  // Services in one process share one client-credentials secret unless one is configured; the
  // user service accepts it for the platform's own service clients (DESIGN §6 "user").
  const serviceEnv: NodeJS.ProcessEnv = {
    ...env,
    SERVICE_CLIENT_SECRET: env.SERVICE_CLIENT_SECRET || randomBytes(24).toString('base64url'),
  };
  try {
    for (const service of options.services) {
      const runtime = {
        mode,
        dataDir,
        bus,
        env: serviceEnv,
        logger: logger.child({ service: service.name }),
      } as const;
      // Everything the service starts runs as it: its kit series and spans carry its name.
      const running = await withServiceScope(service.name, () =>
        service.start(runtime, portFor(service, env)),
      );
      started.push(running);
      serviceEnv[`${service.name.toUpperCase()}_URL`] ||= running.url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { mode, bus, services: started, stop };
}
