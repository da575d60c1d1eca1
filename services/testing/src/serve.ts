/**
 * Starts the test servers once and keeps them running, so repeated `npx mocha <file>` runs
 * skip the 10–20 s start-up: `make test-servers-up` prints the `TEST_*` variables to export
 * (and writes them to `$TEST_SERVERS_ENV`, default `~/.cache/cartwheel/test-servers.env`).
 * With `TEST_SERVERS_KEYCLOAK=1` it also starts Keycloak (~1 GB) and exports `TEST_KEYCLOAK_URL`
 * and `TEST_KEYCLOAK_ADMIN_PASSWORD`. Ctrl-C or SIGTERM stops them.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keycloak } from './index.js';
import { mochaGlobalSetup, mochaGlobalTeardown } from './mocha-global.js';

const withKeycloak = ['1', 'true', 'yes'].includes((process.env.TEST_SERVERS_KEYCLOAK ?? '').toLowerCase());
const names = [
  'TEST_POSTGRES_URL',
  'TEST_REDIS_URL',
  'TEST_KAFKA_BROKERS',
  'TEST_MONGO_URL',
  ...(withKeycloak ? ['TEST_KEYCLOAK_URL', 'TEST_KEYCLOAK_ADMIN_PASSWORD'] : []),
];
for (const name of [...names, 'TEST_KEYCLOAK_URL', 'TEST_KEYCLOAK_ADMIN_PASSWORD']) delete process.env[name];
await mochaGlobalSetup();
if (withKeycloak) await keycloak();
const exports = names.map((name) => `export ${name}=${process.env[name]}`).join('\n') + '\n';
const file =
  process.env.TEST_SERVERS_ENV || path.join(os.homedir(), '.cache', 'cartwheel', 'test-servers.env');
writeFileSync(file, exports);
console.log(`${exports}(written to ${file}; source it in another shell)`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await mochaGlobalTeardown();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
