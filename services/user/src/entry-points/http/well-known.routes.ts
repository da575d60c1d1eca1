import { createApiRouter, type ApiRouter } from '@cartwheel/kit';
import type { KeyRing } from '../../domain/access-tokens.js';

/** Public keys and discovery metadata, so any verifier (the kit's, a gateway's) can check our tokens. */
export function wellKnownRoutes(keys: KeyRing, issuer: string): ApiRouter {
  const api = createApiRouter();
  const base = issuer.replace(/\/+$/, '');
  const tags = ['discovery'];

  /** Public and slow to change: verifiers and proxies may cache it for a few minutes. */
  const publish = (path: string, summary: string, document: object) =>
    api.route({
      method: 'get',
      path,
      summary,
      tags,
      handler: (ctx) => {
        ctx.set('Cache-Control', 'public, max-age=300');
        return document;
      },
    });

  publish(
    '/.well-known/jwks.json',
    'The public signing keys (JWKS): every active key, the newest signs',
    keys.jwks,
  );

  const metadata = {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    token_endpoint: `${base}/api/v1/auth/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(keys.jwks.keys.map((key) => key.alg))],
    claims_supported: ['iss', 'aud', 'sub', 'email', 'roles', 'jti', 'iat', 'exp', 'sid'],
  };
  publish(
    '/.well-known/openid-configuration',
    'Discovery metadata (issuer, jwks_uri, token endpoint)',
    metadata,
  );
  return api;
}
