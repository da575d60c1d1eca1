import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createLogger,
  startPlatform,
  type Logger,
  type RunningPlatform,
  type ServiceDefinition,
} from '@cartwheel/kit';
import { services as registered } from '../../src/services.js';

export const TEST_ADMIN = { email: 'admin@example.com', password: 'AdminPass123' };

export interface InProcessPlatform {
  platform: RunningPlatform;
  /** The gateway's base URL: the one door the tests use. */
  base: string;
  /** Each service's base URL by name. */
  url(service: string): string;
  /** `CARTWHEEL_DATA_DIR`, a fresh temporary directory. */
  dataDir: string;
  /** Stops the platform and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * The platform as `make start` runs it, in this process (embedded mode): every service on a free
 * port, a fresh data directory, no demo data, the admin of TEST_ADMIN, silent logs. `env` adds
 * to or overrides those settings.
 */
export async function startInProcessPlatform(
  options: { env?: Record<string, string>; services?: ServiceDefinition[]; logger?: Logger } = {},
): Promise<InProcessPlatform> {
  const services = options.services ?? registered;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-platform-'));
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      services,
      env: {
        ...Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_PORT`, '0'])),
        CARTWHEEL_DATA_DIR: dataDir,
        CARTWHEEL_DEMO_DATA: 'false',
        CARTWHEEL_ADMIN_EMAIL: TEST_ADMIN.email,
        CARTWHEEL_ADMIN_PASSWORD: TEST_ADMIN.password,
        LOG_LEVEL: 'silent',
        ...options.env,
      },
      logger: options.logger ?? createLogger({ level: 'silent' }),
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = (service: string) => {
    const running = platform.services.find((s) => s.name === service);
    if (!running) throw new Error(`${service} is not running`);
    return running.url;
  };
  return {
    platform,
    base: url('gateway'),
    url,
    dataDir,
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
