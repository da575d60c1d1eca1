import type { TokenIssuer } from './access-tokens.js';
import type { LoginLimiter, RunInTransaction, UserTx } from './ports.js';

export interface TokenLifetimes {
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  serviceTokenTtlSec: number;
}

/** What the use cases run on; built once by `createApp`. */
export interface UserDomain {
  run: RunInTransaction;
  /** Single reads outside a transaction (never use it inside `run`: PGlite has one connection). */
  read: UserTx;
  tokens: TokenIssuer;
  limiter: LoginLimiter;
  /** client_id → secret, for the client-credentials grant. */
  serviceClients: ReadonlyMap<string, string>;
  lifetimes: TokenLifetimes;
  now: () => Date;
}
