import { authConfig, commonConfig } from '@cartwheel/kit';
import { z } from 'zod';

/** The order service's environment (loaded once, in `service.start`). */
export const orderConfig = commonConfig.extend({
  ...authConfig.shape,
  /** The catalog (product service); the platform sets it to where that service listens. */
  PRODUCT_URL: z.url().default('http://127.0.0.1:8082'),
  /** The inventory service. */
  INVENTORY_URL: z.url().default('http://127.0.0.1:8083'),
  /** This service's client id for the client-credentials grant at `${USER_URL}/api/v1/auth/token`. */
  SERVICE_CLIENT_ID: z.string().min(1).default('order'),
  /** Its secret (the platform generates one per process when unset; a container must be given it). */
  SERVICE_CLIENT_SECRET: z.string().min(1),
  /** Timeout of one attempt of a call to catalog, inventory or user. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** How long a request waits for another one holding the same Idempotency-Key before a 409. */
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** A claimed key still in progress after this long belongs to a dead attempt and is taken over. */
  IDEMPOTENCY_STALE_SEC: z.coerce.number().int().min(5).max(3_600).default(60),
  /** How long a used Idempotency-Key is remembered. */
  IDEMPOTENCY_KEY_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
});

export type OrderConfig = z.output<typeof orderConfig>;
