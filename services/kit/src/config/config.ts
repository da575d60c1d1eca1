import { z } from 'zod';

/** Thrown by `loadConfig` with every bad variable named; `main` prints it and exits 1. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a service's zod schema once, at start (STYLE.md §6).
 * Every missing or malformed variable is reported at once, by name; nothing else in a service
 * reads `process.env`.
 *
 * @example const config = loadConfig(z.object({ PORT: port(8081) }));
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      return value === undefined ? `${name} is required (${issue.message})` : `${name}: ${issue.message}`;
    }),
  );
}

/** A TCP port with a default, e.g. `GATEWAY_PORT: port(8080)`. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** `true`/`false`/`1`/`0`/`yes`/`no` (any case) with a default; anything else is an error. */
export const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional()
    .transform((v) => v ?? fallback);

/** An optional URL with one of the given schemes; empty string counts as unset. */
export const optionalUrl = (...schemes: string[]) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .url()
      .refine((v) => schemes.length === 0 || schemes.some((s) => v.startsWith(`${s}:`)), {
        message: `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`,
      })
      .optional(),
  );

/** A comma-separated list (`a,b , c` → ['a','b','c']); empty or unset → []. */
export const list = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );

/** Settings every service shares. Extend it: `commonConfig.extend({ ... })`. */
export const commonConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CARTWHEEL_DATA_DIR: z.string().min(1).default('.data'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('http', 'https'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
