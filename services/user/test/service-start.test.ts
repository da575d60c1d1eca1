import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  createEmbeddedBus,
  createLogger,
  type CloudEvent,
  type EventBus,
  type RunningService,
  type ServiceRuntime,
} from '@cartwheel/kit';
import { createDatabase, eventually, testServers } from '@cartwheel/testing';
import { expect } from 'chai';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { GENERATED_ADMIN_EMAIL, GENERATED_KEY_FILE, service, USERS_TOPIC } from '../src/index.js';
import { client, logger, privateKeyPem, testKeys } from './support.js';

/** Runs `start` and returns what it printed with console.log alongside the started service. */
async function startCapturing(start: () => Promise<RunningService>) {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  try {
    return { running: await start(), printed: printed.join('\n') };
  } finally {
    console.log = original;
  }
}

const login = (url: string, username: string, password: string) =>
  client(url).post('/api/v1/auth/login', { form: { username, password } });

describe('user service: service.start', function () {
  this.timeout(60_000);

  describe('embedded mode (PGlite under a temporary data dir)', () => {
    let dataDir: string;
    let bus: EventBus;
    const events: CloudEvent[] = [];

    before(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-user-'));
      bus = createEmbeddedBus({ logger });
      await bus.ensureTopics([USERS_TOPIC]);
      await bus.subscribe({
        groupId: 'probe',
        topics: [USERS_TOPIC],
        handler: async (e) => void events.push(e),
      });
    });

    after(async () => {
      await bus.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const runtime = (): ServiceRuntime => ({
      mode: 'embedded',
      dataDir,
      bus,
      logger,
      env: { LOG_LEVEL: 'silent' },
    });

    it('when started without admin settings, then it prints a generated admin password once, and a restart reuses the signing key and prints nothing', async () => {
      const first = await startCapturing(() => service.start(runtime(), 0));
      let password: string;
      let token: string;
      try {
        const match = /admin account (\S+) with the password (\S+)/.exec(first.printed);
        expect(match, first.printed).to.not.equal(null);
        expect(match![1]).to.equal(GENERATED_ADMIN_EMAIL);
        password = match![2];
        const response = await login(first.running.url, GENERATED_ADMIN_EMAIL, password);
        expect(response.status).to.equal(200);
        token = response.body.access_token;
        expect(decodeJwt(token).roles).to.deep.equal(['admin']);
        expect((await client(first.running.url).get('/api/v1/users', { token })).status).to.equal(200);
        await eventually('user.created of the admin', () =>
          events.some((e) => (e.data as { email: string }).email === GENERATED_ADMIN_EMAIL),
        );
      } finally {
        await first.running.stop();
      }
      const keyFile = path.join(dataDir, 'user', 'keys', GENERATED_KEY_FILE);
      expect(statSync(keyFile).mode & 0o777).to.equal(0o600);

      const second = await startCapturing(() => service.start(runtime(), 0));
      try {
        expect(second.printed).to.not.contain('password');
        const me = await client(second.running.url).get('/api/v1/users/me', { token });
        expect(me.status).to.equal(200);
        expect(me.body).to.deep.include({ email: GENERATED_ADMIN_EMAIL, role: 'admin' });
        expect((await login(second.running.url, GENERATED_ADMIN_EMAIL, password)).status).to.equal(200);
        const ready = await client(second.running.url).get('/ready');
        expect(ready.body.checks).to.deep.equal({ database: 'ok' });
      } finally {
        await second.running.stop();
      }
      expect(
        await fetch(`${second.running.url}/health`).then(
          () => 'open',
          () => 'closed',
        ),
      ).to.equal('closed');
    });
  });

  describe('connected mode (PostgreSQL and Redis servers)', () => {
    let databaseUrl: string;
    const pem = privateKeyPem('rsa');
    const email = `root-${Date.now()}@example.com`;
    const logLines: string[] = [];
    const capture = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });

    before(async () => {
      databaseUrl = await createDatabase('user');
    });

    const runtime = (env: Record<string, string>): ServiceRuntime => ({
      mode: 'connected',
      dataDir: os.tmpdir(),
      bus: createEmbeddedBus({ logger }),
      logger: createLogger({ service: 'user', level: 'info', destination: capture }),
      env: {
        USER_DATABASE_URL: databaseUrl,
        REDIS_URL: testServers().redisUrl,
        JWT_PRIVATE_KEYS: pem,
        SERVICE_CLIENT_SECRET: 'platform-secret-0123456789abcdef',
        ...env,
      },
    });

    it('when no admin is configured, then none is created and a warning says how to create one', async () => {
      const started = await startCapturing(() => service.start(runtime({}), 0));
      await started.running.stop();

      expect(started.printed).to.equal('');
      expect(logLines.join('')).to.contain(
        'No admin account: set CARTWHEEL_ADMIN_EMAIL and CARTWHEEL_ADMIN_PASSWORD',
      );
    });

    it('when CARTWHEEL_ADMIN_* and JWT_PRIVATE_KEYS are set, then that admin signs in with tokens of that key; a restart restores the role and keeps the first password', async () => {
      const first = await startCapturing(() =>
        service.start(
          runtime({
            CARTWHEEL_ADMIN_EMAIL: email.toUpperCase(),
            CARTWHEEL_ADMIN_PASSWORD: 'Admin-Password1',
          }),
          0,
        ),
      );
      try {
        const response = await login(first.running.url, email, 'Admin-Password1');
        expect(response.status).to.equal(200);
        expect(decodeJwt(response.body.access_token).roles).to.deep.equal(['admin']);
        const [jwk] = (await testKeys(pem)).jwks.keys;
        expect(decodeProtectedHeader(response.body.access_token).kid).to.equal(
          await calculateJwkThumbprint(jwk),
        );
        const serviceToken = await client(first.running.url).post('/api/v1/auth/token', {
          form: {
            grant_type: 'client_credentials',
            client_id: 'gateway',
            client_secret: 'platform-secret-0123456789abcdef',
          },
        });
        expect(serviceToken.status).to.equal(200);
        expect(first.printed).to.equal('');
      } finally {
        await first.running.stop();
      }
      const db = (await import('@cartwheel/kit')).createDatabase({ url: databaseUrl });
      await db('users').where({ email }).update({ role: 'user' });
      await db.destroy();

      const second = await startCapturing(() =>
        service.start(
          runtime({ CARTWHEEL_ADMIN_EMAIL: email, CARTWHEEL_ADMIN_PASSWORD: 'Other-Password2' }),
          0,
        ),
      );
      try {
        const original = await login(second.running.url, email, 'Admin-Password1');
        const replaced = await login(second.running.url, email, 'Other-Password2');
        expect(original.status).to.equal(200);
        expect(decodeJwt(original.body.access_token).roles).to.deep.equal(['admin']);
        expect(replaced.status).to.equal(401);
      } finally {
        await second.running.stop();
      }
    });

    it('when the configuration is invalid, then start fails naming every bad variable and nothing listens', async () => {
      let error: Error | undefined;
      try {
        await service.start(
          runtime({
            CARTWHEEL_ADMIN_EMAIL: 'admin@example.com',
            LOGIN_MAX_FAILURES_PER_ACCOUNT: 'many',
            SERVICE_CLIENTS: 'gateway:short',
          }),
          0,
        );
      } catch (caught) {
        error = caught as Error;
      }

      expect(error?.name).to.equal('ConfigError');
      expect(error?.message).to.contain('CARTWHEEL_ADMIN_PASSWORD');
      expect(error?.message).to.contain('LOGIN_MAX_FAILURES_PER_ACCOUNT');
      expect(error?.message).to.contain('SERVICE_CLIENTS');
      expect(error?.message).to.not.contain('short');
    });
  });
});
