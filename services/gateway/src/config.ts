import { authConfig, commonConfig, flag, list, optionalUrl } from '@cartwheel/kit';
import { assetsDir } from '@cartwheel/web';
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const upstreamUrl = (port: number) => z.url().default(`http://127.0.0.1:${port}`);

/**
 * `TRUST_PROXY`: `false` (default) ignores X-Forwarded-* from clients; `true` trusts one proxy
 * hop in front of the gateway (an ingress); a number trusts that many hops.
 */
const trustProxy = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '' || v === 'false' || v === '0' || v === 'no') return 0;
    if (v === 'true' || v === 'yes') return 1;
    if (/^\d+$/.test(v)) return Number(v);
    ctx.addIssue({ code: 'custom', message: 'must be true, false or a number of proxy hops' });
    return z.NEVER;
  });

/** The gateway's configuration (README "Configuration"), validated once at start. */
export const gatewayConfig = commonConfig.extend({
  ...authConfig.shape,
  PRODUCT_URL: upstreamUrl(8082),
  INVENTORY_URL: upstreamUrl(8083),
  ORDER_URL: upstreamUrl(8084),
  AI_URL: upstreamUrl(8086),

  /** Until an upstream's response headers arrive, and the longest silence while its body streams. */
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
  /** Extra attempts for GET/HEAD requests (without a body) that failed to connect. */
  UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(50),
  BREAKER_VOLUME_THRESHOLD: positiveInt(10),
  BREAKER_RESET_MS: positiveInt(10_000),
  BREAKER_WINDOW_MS: positiveInt(10_000),
  /** Largest request body the gateway streams to an upstream; larger ones get 413. */
  BODY_LIMIT_BYTES: positiveInt(10 * 1024 * 1024),

  REDIS_URL: optionalUrl('redis', 'rediss'),
  /** How long one Redis command may take before the in-memory insurance limiter answers instead. */
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(250),
  RATE_LIMIT_PER_MINUTE: positiveInt(60),
  RATE_LIMIT_AI_PER_MINUTE: positiveInt(15),
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt(10),
  TRUST_PROXY: trustProxy,
  /** Origins allowed to call the API from a browser (`*` for any); empty = no CORS headers. */
  CORS_ORIGINS: list(),

  OPENAPI_CACHE_MS: z.coerce.number().int().min(0).default(15_000),
  OPENAPI_FETCH_TIMEOUT_MS: positiveInt(2_000),

  ROUTES_FROM_KUBERNETES: flag(false),
  /** Namespace whose Services are watched; default: the gateway pod's own namespace. */
  KUBERNETES_NAMESPACE: z.string().min(1).optional(),
  /** API server for out-of-cluster runs (e.g. `kubectl proxy`); default: the in-cluster service account. */
  KUBERNETES_API_URL: optionalUrl('http', 'https'),
  /** Full re-list of the watched Services this often, whatever the watch said. */
  KUBERNETES_RESYNC_MS: positiveInt(300_000),

  /** Folder of the built storefront served at `/` (`buildAssets` output; `make build` fills the default). */
  WEB_ROOT: z.string().trim().min(1).default(assetsDir),
});

export type GatewayConfig = z.infer<typeof gatewayConfig>;
