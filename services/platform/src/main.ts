import { commonConfig, createLogger, handleProcessSignals, loadConfig, ConfigError } from '@cartwheel/kit';
import { startPlatform } from './platform.js';
import { services } from './services.js';

let config;
try {
  config = loadConfig(commonConfig);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger({ service: 'platform', level: config.LOG_LEVEL });
const platform = await startPlatform({ services, env: process.env, logger });
handleProcessSignals(
  () => [{ name: 'platform', stop: async () => void (await platform.stop()) }],
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);

const lines = platform.services.map(
  (s) => `  ${s.name.padEnd(13)} ${s.url}  (${s.url}/health, ${s.url}/ready)`,
);
console.log(
  [
    `Cartwheel is running in ${platform.mode} mode (data in ${config.CARTWHEEL_DATA_DIR}).`,
    ...(lines.length > 0 ? lines : ['  No services are registered yet (services/platform/src/services.ts).']),
    'Press Ctrl+C to stop.',
  ].join('\n'),
);
