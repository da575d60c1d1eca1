import { authConfig, commonConfig, optionalUrl } from '@cartwheel/kit';
import { z } from 'zod';
import { passwordProblems } from './domain/password-policy.js';

const DAY_SEC = 24 * 3600;

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(1).max(100_000).default(fallback);
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** `SERVICE_CLIENTS=gateway:s3cret,order:0th3r` → Map { gateway → s3cret, order → 0th3r }. */
const serviceClients = optionalText.transform((value, ctx) => {
  const clients = new Map<string, string>();
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    const secret = entry.slice(colon + 1);
    if (colon < 1 || secret.length < 16 || !/^[\w.-]+$/.test(id)) {
      // Never echo the entry: without its colon it may be a bare secret.
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} must be client_id:secret, with a secret of at least 16 characters`,
      });
    } else {
      clients.set(id, secret);
    }
  });
  return clients;
});

/** The user service's environment (loaded once, in `service.start`). */
export const userConfig = commonConfig
  .extend({
    ...authConfig.shape,
    /** One or more PEM private keys (RS256 ≥ 2048 bits or ES256), concatenated; the last signs, all verify. */
    JWT_PRIVATE_KEYS: optionalText,
    /** A file holding the same (e.g. a mounted Secret); used when JWT_PRIVATE_KEYS is unset. */
    JWT_PRIVATE_KEYS_FILE: optionalText,
    ACCESS_TOKEN_TTL_SEC: seconds(900, DAY_SEC),
    REFRESH_TOKEN_TTL_SEC: seconds(30 * DAY_SEC, 365 * DAY_SEC),
    SERVICE_TOKEN_TTL_SEC: seconds(300, 3600),
    /** `client_id:secret,…` accepted by the client-credentials grant. */
    SERVICE_CLIENTS: serviceClients,
    /** With SERVICE_CLIENTS unset: the one secret of the platform's own clients (set per process by the platform). */
    SERVICE_CLIENT_SECRET: optionalText,
    /** Login failure counters live here when set (shared by replicas); in memory otherwise. */
    REDIS_URL: optionalUrl('redis', 'rediss'),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
    LOGIN_MAX_FAILURES_PER_IP: count(50),
    LOGIN_FAILURE_WINDOW_SEC: seconds(900, DAY_SEC),
    CARTWHEEL_ADMIN_EMAIL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.email().max(254).toLowerCase().optional(),
    ),
    CARTWHEEL_ADMIN_PASSWORD: optionalText.refine(
      (v) => v === undefined || passwordProblems(v).length === 0,
      {
        message: 'must be 8–128 characters with at least one letter and one digit',
      },
    ),
  })
  .superRefine(
    (config, ctx) => {
      if (Boolean(config.CARTWHEEL_ADMIN_EMAIL) !== Boolean(config.CARTWHEEL_ADMIN_PASSWORD)) {
        const missing = config.CARTWHEEL_ADMIN_EMAIL ? 'CARTWHEEL_ADMIN_PASSWORD' : 'CARTWHEEL_ADMIN_EMAIL';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'set both admin variables or neither' });
      }
    },
    // Also when other variables are bad, so every problem is reported at once (STYLE §6).
    { when: () => true },
  );

export type UserConfig = z.output<typeof userConfig>;

/** The platform's own service clients: each may use SERVICE_CLIENT_SECRET when SERVICE_CLIENTS is unset. */
export const PLATFORM_CLIENTS = ['gateway', 'product', 'inventory', 'order', 'notification', 'ai'];

/** SERVICE_CLIENTS when set; otherwise the platform clients with SERVICE_CLIENT_SECRET; otherwise none. */
export function serviceClientsFrom(config: UserConfig): Map<string, string> {
  if (config.SERVICE_CLIENTS.size > 0) return config.SERVICE_CLIENTS;
  const secret = config.SERVICE_CLIENT_SECRET;
  return new Map(secret ? PLATFORM_CLIENTS.map((id) => [id, secret]) : []);
}
