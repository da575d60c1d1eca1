import { authConfig, commonConfig, optionalUrl } from '@cartwheel/kit';
import { z } from 'zod';

/** The model used when `ANTHROPIC_MODEL` is unset: a current Claude model (the SDK flags `claude-sonnet-4-5` as deprecated). */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** The ai service's environment (loaded once, in `service.start`). */
export const aiConfig = commonConfig.extend({
  ...authConfig.shape,
  /** The catalog (product service); the platform sets it to where that service listens. */
  PRODUCT_URL: z.url().default('http://127.0.0.1:8082'),
  /** The inventory service (stock checks need a service token). */
  INVENTORY_URL: z.url().default('http://127.0.0.1:8083'),
  /** This service's client id for the client-credentials grant at `${USER_URL}/api/v1/auth/token`. */
  SERVICE_CLIENT_ID: z.string().min(1).default('ai'),
  /** Its secret (the platform generates one per process when unset; a container must be given it). */
  SERVICE_CLIENT_SECRET: z.string().min(1),
  /** Unset or empty: every answer comes from the deterministic fallback and no provider call is ever made. */
  ANTHROPIC_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  /** Where the Messages API is (a proxy, or a local fake in tests); unset → the SDK's own default. */
  ANTHROPIC_BASE_URL: optionalUrl('http', 'https'),
  ANTHROPIC_MODEL: z.string().trim().min(1).default(DEFAULT_MODEL),
  /** The time one request may spend waiting on the provider, over all its model turns; then the fallback answers. */
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
  /** `max_tokens` of each model turn. */
  AI_MAX_TOKENS: z.coerce.number().int().min(64).max(8_192).default(1_024),
  /** Timeout of one attempt of a call to the catalog or inventory. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
});

export type AiConfig = z.output<typeof aiConfig>;
