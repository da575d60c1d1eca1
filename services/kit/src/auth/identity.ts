import type { JWTPayload } from 'jose';

/** The roles Cartwheel knows (DESIGN.md §6): a shopper, an administrator, another service. */
export type Role = 'user' | 'admin' | 'service';

/** Every role, in a stable order; anything else found in a token is dropped. */
export const ROLES: readonly Role[] = ['user', 'admin', 'service'];

/**
 * Who made a request, taken from a verified access token. Services read this (via
 * `ctx.state.identity`) and never the raw token.
 */
export interface Identity {
  /** The token's `sub`: the user id for our own tokens, the subject id for Keycloak. */
  subject: string;
  email?: string;
  /** Known roles only; unknown role strings in the token are dropped. */
  roles: Role[];
  /** The `iss` the token was verified against. */
  issuer: string;
  /** The token's `jti`, when present (e.g. for revocation lists). */
  tokenId?: string;
  /** Every verified claim, for the rare caller that needs one we do not map. */
  claims: JWTPayload;
}

/** Where an issuer puts roles: `roles: string[]` (our tokens) or `realm_access.roles` (Keycloak). */
export type RolesClaim = 'roles' | 'realm_access.roles';

/** Reads the role strings from `claims` at `where` and keeps the ones Cartwheel knows. */
export function mapRoles(claims: JWTPayload, where: RolesClaim): Role[] {
  const raw = where === 'roles' ? claims.roles : readRealmRoles(claims.realm_access);
  if (!Array.isArray(raw)) return [];
  return ROLES.filter((role) => raw.includes(role));
}

function readRealmRoles(realmAccess: unknown): unknown {
  if (typeof realmAccess !== 'object' || realmAccess === null) return undefined;
  return (realmAccess as { roles?: unknown }).roles;
}

/** True when `identity` holds at least one of `roles`. */
export function hasAnyRole(identity: Identity, roles: readonly Role[]): boolean {
  return roles.some((role) => identity.roles.includes(role));
}
