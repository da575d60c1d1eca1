/** @cartwheel/user: accounts, credentials, JWT signing keys, refresh tokens, addresses and roles (PostgreSQL). Exports its ServiceDefinition as `service`. */
import type { ServiceDefinition } from '@cartwheel/kit';
import { startUserService } from './user-service.js';

export {
  createApp,
  createUserDomain,
  DEFAULT_LIFETIMES,
  ownIssuerConfig,
  userVerifier,
  type AppDeps,
} from './app.js';
export { PLATFORM_CLIENTS, serviceClientsFrom, userConfig, type UserConfig } from './config.js';
export { createLoginLimiter, type LoginLimiterOptions } from './data-access/login-limiter.js';
export { migrate } from './data-access/migrate.js';
export { GENERATED_KEY_FILE, loadSigningKeys, parsePrivateKeys } from './data-access/signing-keys.js';
export { keyRing, type KeyRing, type SigningKey } from './domain/access-tokens.js';
export { GENERATED_ADMIN_EMAIL } from './domain/bootstrap-admin.use-case.js';
export { USERS_TOPIC } from './domain/user-events.js';
export { startUserService } from './user-service.js';

export const service: ServiceDefinition = {
  name: 'user',
  defaultPort: 8081,
  start: (runtime, port) => startUserService(runtime, port),
};
