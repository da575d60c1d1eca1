import path from 'node:path';
import {
  databaseFor,
  listen,
  loadConfig,
  shutdown,
  startOutboxRelay,
  type Logger,
  type OutboxRelay,
  type RunningService,
  type ServiceRuntime,
  type ShutdownStep,
} from '@cartwheel/kit';
import { Redis } from 'ioredis';
import { createApp, createUserDomain, userVerifier, type AppDeps } from './app.js';
import { serviceClientsFrom, userConfig, type UserConfig } from './config.js';
import { createLoginLimiter } from './data-access/login-limiter.js';
import { migrate } from './data-access/migrate.js';
import { loadSigningKeys } from './data-access/signing-keys.js';
import { bootstrapAdmin, type AdminBootstrap } from './domain/bootstrap-admin.use-case.js';
import { USERS_TOPIC } from './domain/user-events.js';

/** ioredis for the login counters: commands fail fast while Redis is away (the limiter falls back to memory). */
function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let healthy = true;
  redis.on('error', (error: Error) => {
    if (healthy) logger.warn({ err: error }, 'Redis unavailable: login limits fall back to this process');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) logger.info('Redis is back: login limits are shared again');
    healthy = true;
  });
  return redis;
}

function adminRequest(config: UserConfig, runtime: ServiceRuntime): AdminBootstrap | undefined {
  if (config.CARTWHEEL_ADMIN_EMAIL && config.CARTWHEEL_ADMIN_PASSWORD) {
    return {
      kind: 'configured',
      email: config.CARTWHEEL_ADMIN_EMAIL,
      password: config.CARTWHEEL_ADMIN_PASSWORD,
    };
  }
  return runtime.mode === 'embedded' ? { kind: 'generated' } : undefined;
}

/**
 * Starts the user service: signing keys, migrations, outbox relay, the first admin, then HTTP.
 * `stop()` fails `/ready`, drains HTTP, stops the relay and closes Redis and the pool (STYLE §8).
 */
export async function startUserService(runtime: ServiceRuntime, port: number): Promise<RunningService> {
  const config = loadConfig(userConfig, runtime.env);
  const { logger } = runtime;
  const { keys, origin } = await loadSigningKeys({
    pem: config.JWT_PRIVATE_KEYS,
    file: config.JWT_PRIVATE_KEYS_FILE,
    keyDir: path.resolve(runtime.dataDir, 'user', 'keys'),
  });
  if (runtime.mode === 'connected' && !config.JWT_PRIVATE_KEYS && !config.JWT_PRIVATE_KEYS_FILE) {
    logger.warn(
      { file: origin },
      'JWT signing key generated locally: set JWT_PRIVATE_KEYS so replicas share it',
    );
  }

  const steps: ShutdownStep[] = [];
  const stop = async () => {
    await shutdown([...steps].reverse(), logger, config.SHUTDOWN_TIMEOUT_MS);
  };
  const db = databaseFor(runtime, 'user');
  steps.push({ name: 'database', stop: () => db.destroy() });
  try {
    await migrate(db);
    await runtime.bus.ensureTopics([USERS_TOPIC]);
    // The relay needs the app's metrics registry, the app wakes the relay after commits.
    const relayRef: { current?: OutboxRelay } = {};
    const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : undefined;
    if (redis) steps.push({ name: 'redis', stop: () => redis.disconnect() });

    const deps: AppDeps = {
      db,
      logger,
      keys,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      verifier: userVerifier(config, keys),
      limiter: createLoginLimiter({
        maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
        windowSec: config.LOGIN_FAILURE_WINDOW_SEC,
        redis,
      }),
      serviceClients: serviceClientsFrom(config),
      lifetimes: {
        accessTokenTtlSec: config.ACCESS_TOKEN_TTL_SEC,
        refreshTokenTtlSec: config.REFRESH_TOKEN_TTL_SEC,
        serviceTokenTtlSec: config.SERVICE_TOKEN_TTL_SEC,
      },
      afterPublish: () => relayRef.current?.notify(),
    };

    const domain = createUserDomain(deps);
    const request = adminRequest(config, runtime);
    if (request) {
      const outcome = await bootstrapAdmin(domain, request);
      if (outcome.generatedPassword) {
        // Printed once, on the console and never through the logger (logs are shipped and kept).
        console.log(
          `Cartwheel created the admin account ${outcome.email} with the password ${outcome.generatedPassword}\n` +
            '  It is shown only this once; change it with PUT /api/v1/users/me/password.',
        );
      } else if (outcome.created) logger.info({ email: outcome.email }, 'admin account created');
    } else if (!(await domain.read.users.hasActiveAdmin())) {
      logger.warn('No admin account: set CARTWHEEL_ADMIN_EMAIL and CARTWHEEL_ADMIN_PASSWORD to create one');
    }

    const service = createApp(deps);
    const relay = startOutboxRelay({ db, bus: runtime.bus, logger, registry: service.registry });
    relayRef.current = relay;
    steps.push({ name: 'outbox relay', stop: () => relay.stop() });
    const server = await listen(service.app, port);
    steps.push({ name: 'http', stop: () => server.close() });
    steps.push({ name: 'readiness', stop: () => void (service.readiness.draining = true) });
    logger.info({ keys: keys.jwks.keys.length, kid: keys.signing.kid, origin }, 'user service started');
    return { name: 'user', url: server.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
