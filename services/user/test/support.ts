import { generateKeyPairSync } from 'node:crypto';
import {
  createDatabase as connect,
  createEmbeddedBus,
  createLogger,
  listen,
  startOutboxRelay,
  type CloudEvent,
  type EventBus,
  type Knex,
  type OutboxRelay,
  type RunningHttpServer,
} from '@cartwheel/kit';
import { createDatabase, httpCall } from '@cartwheel/testing';
import {
  createApp,
  migrate,
  parsePrivateKeys,
  USERS_TOPIC,
  type AppDeps,
  type KeyRing,
} from '../src/index.js';

export const logger = createLogger({ service: 'user-test', level: 'silent' });

/** A fresh private key in PEM: `ec` (ES256, P-256) or `rsa` (RS256, 2048 bits). */
export function privateKeyPem(type: 'ec' | 'rsa' = 'ec'): string {
  const { privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export const testKeys = (...pems: string[]): Promise<KeyRing> =>
  parsePrivateKeys(pems.length > 0 ? pems.join('\n') : privateKeyPem(), 'test keys');

// Response bodies are arbitrary JSON that tests read field by field and assert on with chai.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface HttpResult<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  token?: string;
  headers?: Record<string, string>;
}

/** `httpCall` bound to one service, with a verb per method and the body typed for the test. */
export function client(baseUrl: string) {
  const request = async <T = Json>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResult<T>> => {
    const reply = await httpCall(baseUrl, method, path, options);
    return { ...reply, body: reply.body === '' ? undefined : reply.body };
  };
  return {
    request,
    get: <T = Json>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
    post: <T = Json>(path: string, options?: RequestOptions) => request<T>('POST', path, options),
    patch: <T = Json>(path: string, options?: RequestOptions) => request<T>('PATCH', path, options),
    put: <T = Json>(path: string, options?: RequestOptions) => request<T>('PUT', path, options),
    delete: <T = Json>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  };
}

export type Client = ReturnType<typeof client>;

/** The fields of a user in every response (DESIGN §6 "user"): the seed's, plus role. */
export const USER_FIELDS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'role',
  'is_active',
  'created_at',
  'addresses',
];

/** Seed 000 step 2's address body. */
export const SEED_ADDRESS = {
  line1: '123 Example Street',
  line2: 'Apt 4B',
  city: 'Example City',
  state: 'EX',
  postal_code: '12345',
  country: 'Example Country',
  is_default: true,
};

let counter = 0;

/** A registration body with a unique email (suites share nothing, runs share servers). */
export function newAccount(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    email: `shopper-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'Password123',
    first_name: 'Example',
    last_name: 'Customer',
    phone: '555-123-4567',
    ...overrides,
  };
}

/** The user app on its own PostgreSQL database and port, with the outbox relayed to an in-process bus. */
export interface UserApp {
  url: string;
  api: Client;
  db: Knex;
  keys: KeyRing;
  bus: EventBus;
  /** Every event published on `users`, in order. */
  events: CloudEvent[];
  /** Registers and signs in a new account: its id, email, password and tokens. */
  signUp(overrides?: Record<string, unknown>): Promise<SignedUp>;
  /** Makes an existing account an admin (straight in the database) and signs it in again. */
  promote(account: SignedUp): Promise<SignedUp>;
  close(): Promise<void>;
}

export interface SignedUp {
  id: number;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function startUserApp(overrides: Partial<AppDeps> = {}): Promise<UserApp> {
  const db = connect({ url: await createDatabase('user'), poolMax: 5 });
  await migrate(db);
  const keys = overrides.keys ?? (await testKeys());
  const bus = createEmbeddedBus({ logger });
  await bus.ensureTopics([USERS_TOPIC]);
  const events: CloudEvent[] = [];
  const subscription = await bus.subscribe({
    groupId: 'user-test',
    topics: [USERS_TOPIC],
    handler: async (event) => void events.push(event),
  });
  const relayRef: { current?: OutboxRelay } = {};
  const service = createApp({
    db,
    logger,
    keys,
    afterPublish: () => relayRef.current?.notify(),
    ...overrides,
  });
  const relay = startOutboxRelay({ db, bus, logger, pollIntervalMs: 50 });
  relayRef.current = relay;
  const server: RunningHttpServer = await listen(service.app, 0, '127.0.0.1');
  const api = client(server.url);

  const signIn = async (email: string, password: string) => {
    const login = await api.post('/api/v1/auth/login', { form: { username: email, password } });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    return {
      accessToken: login.body.access_token as string,
      refreshToken: login.body.refresh_token as string,
    };
  };

  return {
    url: server.url,
    api,
    db,
    keys,
    bus,
    events,
    async signUp(accountOverrides = {}) {
      const account = newAccount(accountOverrides);
      const created = await api.post('/api/v1/auth/register', { json: account });
      if (created.status !== 201)
        throw new Error(`register failed: ${created.status} ${JSON.stringify(created.body)}`);
      return {
        id: created.body.id,
        email: account.email,
        password: account.password,
        ...(await signIn(account.email, account.password)),
      };
    },
    async promote(account) {
      await db('users').where({ id: account.id }).update({ role: 'admin' });
      return { ...account, ...(await signIn(account.email, account.password)) };
    },
    async close() {
      await server.close();
      await relay.stop();
      await subscription.stop();
      await bus.close();
      await db.destroy();
    },
  };
}
