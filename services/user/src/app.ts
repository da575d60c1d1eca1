import {
  createServiceApp,
  createTokenVerifier,
  issuersFromConfig,
  type AuthConfig,
  pingDatabase,
  type Knex,
  type LocalIssuerConfig,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type TokenVerifier,
} from '@cartwheel/kit';
import { Registry } from 'prom-client';
import { createLoginLimiter } from './data-access/login-limiter.js';
import { createUserStore } from './data-access/user.store.js';
import { createTokenIssuer, type KeyRing } from './domain/access-tokens.js';
import type { TokenLifetimes, UserDomain } from './domain/context.js';
import type { LoginLimiter } from './domain/ports.js';
import { addressesRoutes } from './entry-points/http/addresses.routes.js';
import { authRoutes } from './entry-points/http/auth.routes.js';
import { usersRoutes } from './entry-points/http/users.routes.js';
import { wellKnownRoutes } from './entry-points/http/well-known.routes.js';
import { createUserMetrics } from './metrics.js';

export const DEFAULT_LIFETIMES: TokenLifetimes = {
  accessTokenTtlSec: 900,
  refreshTokenTtlSec: 30 * 24 * 3600,
  serviceTokenTtlSec: 300,
};

export interface AppDeps {
  db: Knex;
  logger: Logger;
  keys: KeyRing;
  /** `iss` of the tokens minted here (default `http://localhost:8080`, as JWT_ISSUER). */
  issuer?: string;
  audience?: string;
  /** Default: accepts only our own tokens, checked with the in-process public keys. */
  verifier?: TokenVerifier;
  /** Default: in-memory, 5 failures per account and 50 per IP in 15 minutes. */
  limiter?: LoginLimiter;
  /** client_id → secret for the client-credentials grant (default: none). */
  serviceClients?: ReadonlyMap<string, string>;
  lifetimes?: Partial<TokenLifetimes>;
  /** Called after a transaction that wrote events commits (the outbox relay's `notify`). */
  afterPublish?: () => void;
  readiness?: ReadinessCheck[];
  now?: () => Date;
}

/** The verifier of our own tokens from the in-process keys (no JWKS round trip to ourselves). */
export function ownIssuerConfig(keys: KeyRing, issuer: string, audience: string): LocalIssuerConfig {
  return { issuer, audience, jwks: keys.jwks };
}

/**
 * The issuers the kit's `authConfig` describes (our own, plus Keycloak when `KEYCLOAK_ISSUER` is
 * set), with our own checked against the in-process keys instead of our own JWKS URL.
 */
export function userVerifier(config: AuthConfig, keys: KeyRing): TokenVerifier {
  const own = ownIssuerConfig(keys, config.JWT_ISSUER, config.JWT_AUDIENCE);
  return createTokenVerifier({
    issuers: issuersFromConfig(config).map((entry) => (entry.issuer === own.issuer ? own : entry)),
  });
}

const issuerOf = (deps: AppDeps) => deps.issuer ?? 'http://localhost:8080';

/** The use cases' dependencies on `deps` (also used at start to bootstrap the admin). */
export function createUserDomain(deps: AppDeps): UserDomain {
  const store = createUserStore(deps.db, deps.afterPublish);
  return {
    run: store.run,
    read: store.read,
    tokens: createTokenIssuer({
      keys: deps.keys,
      issuer: issuerOf(deps),
      audience: deps.audience ?? 'cartwheel',
    }),
    limiter:
      deps.limiter ?? createLoginLimiter({ maxFailuresPerAccount: 5, maxFailuresPerIp: 50, windowSec: 900 }),
    serviceClients: deps.serviceClients ?? new Map(),
    lifetimes: { ...DEFAULT_LIFETIMES, ...deps.lifetimes },
    now: deps.now ?? (() => new Date()),
  };
}

/**
 * The user service's HTTP app (no listening, no relay): what tests mount on port 0.
 *
 * @example const { app } = createApp({ db, logger, keys }); const server = await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  const issuer = issuerOf(deps);
  const domain = createUserDomain(deps);
  const verifier =
    deps.verifier ??
    createTokenVerifier({ issuers: [ownIssuerConfig(deps.keys, issuer, domain.tokens.audience)] });
  const registry = new Registry();
  const metrics = createUserMetrics(registry);
  return createServiceApp({
    service: 'user',
    logger: deps.logger,
    registry,
    routers: [
      authRoutes(domain, verifier, metrics),
      usersRoutes(domain, verifier),
      addressesRoutes(domain, verifier),
      wellKnownRoutes(deps.keys, issuer),
    ],
    readiness: [{ name: 'database', check: () => pingDatabase(deps.db) }, ...(deps.readiness ?? [])],
  });
}
