export { ROLES, hasAnyRole, mapRoles, type Identity, type Role, type RolesClaim } from './identity.js';
export {
  ACCEPTED_ALGORITHMS,
  createTokenVerifier,
  type IssuerConfig,
  type LocalIssuerConfig,
  type RemoteIssuerConfig,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';
export { authenticate, requireRole, type AuthState, type AuthenticateOptions } from './auth.middleware.js';
export { authConfig, issuersFromConfig, verifierFromConfig, type AuthConfig } from './auth-config.js';
