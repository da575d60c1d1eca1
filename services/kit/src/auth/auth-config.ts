import { z } from 'zod';

import { optionalUrl } from '../config/config.js';
import { createTokenVerifier, type IssuerConfig, type TokenVerifier } from './token-verifier.js';

/**
 * Who may sign the tokens a service accepts (DESIGN §6 "user", "Keycloak"). Every service
 * extends its config with this, so one set of variables configures the whole platform.
 */
export const authConfig = z.object({
  /** Where the user service listens inside the platform; the JWKS default is derived from it. */
  USER_URL: z.url().default('http://127.0.0.1:8081'),
  /** `iss` of Cartwheel's own tokens: the public front door (the gateway routes `/.well-known/*`). */
  JWT_ISSUER: z.string().min(1).default('http://localhost:8080'),
  JWT_AUDIENCE: z.string().min(1).default('cartwheel'),
  /** Where verifiers fetch the user service's keys; default `${USER_URL}/.well-known/jwks.json`. */
  JWT_JWKS_URL: optionalUrl('http', 'https'),
  /** A Keycloak realm whose tokens are accepted too, e.g. `http://keycloak:8080/realms/cartwheel`. */
  KEYCLOAK_ISSUER: optionalUrl('http', 'https'),
  /** Default `${KEYCLOAK_ISSUER}/protocol/openid-connect/certs`. */
  KEYCLOAK_JWKS_URL: optionalUrl('http', 'https'),
  /** The `aud` Keycloak puts in access tokens for Cartwheel (an audience mapper in the realm). */
  KEYCLOAK_AUDIENCE: z.string().min(1).default('cartwheel'),
});

export type AuthConfig = z.infer<typeof authConfig>;

/** The issuers `authConfig` describes: Cartwheel's own, plus Keycloak when configured. */
export function issuersFromConfig(config: AuthConfig): IssuerConfig[] {
  const issuers: IssuerConfig[] = [
    {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwksUrl: config.JWT_JWKS_URL ?? new URL('/.well-known/jwks.json', config.USER_URL).toString(),
    },
  ];
  if (config.KEYCLOAK_ISSUER) {
    issuers.push({
      issuer: config.KEYCLOAK_ISSUER,
      audience: config.KEYCLOAK_AUDIENCE,
      jwksUrl: config.KEYCLOAK_JWKS_URL ?? `${config.KEYCLOAK_ISSUER}/protocol/openid-connect/certs`,
      rolesClaim: 'realm_access.roles',
    });
  }
  return issuers;
}

/**
 * The verifier every service but the user service uses (the user service adds its in-process
 * keys instead of fetching its own JWKS).
 *
 * @example const verifier = verifierFromConfig(loadConfig(commonConfig.extend(authConfig.shape), env));
 */
export function verifierFromConfig(config: AuthConfig): TokenVerifier {
  return createTokenVerifier({ issuers: issuersFromConfig(config) });
}
