import {
  AppError,
  createApiRouter,
  validationError,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Context } from 'koa';
import { z } from 'zod';
import { register } from '../../domain/accounts.use-case.js';
import { countingLogin, type UserMetrics } from '../../metrics.js';
import type { UserDomain } from '../../domain/context.js';
import { issueServiceToken } from '../../domain/service-token.use-case.js';
import { login, logout, refresh } from '../../domain/sessions.use-case.js';
import { noContent, noStore, optionalIdentity } from './caller.js';
import { email, optionalText, password, strictBody, text, userSchema } from './schemas.js';

const registerBody = strictBody({
  email,
  password,
  first_name: text(100),
  last_name: text(100),
  phone: optionalText(32),
});

// Lenient on purpose: OAuth-style form clients also send grant_type, scope, client_id.
const loginBody = z
  .object({
    username: z.string().max(254).optional(),
    email: z.string().max(254).optional(),
    password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
  })
  .refine((body) => body.username !== undefined || body.email !== undefined, {
    path: ['username'],
    message: 'is required (or email)',
  });

const refreshBody = z.object({ refresh_token: z.string({ error: 'is required' }).min(1).max(512) });

const logoutBody = z.object({ refresh_token: z.string().min(1).max(512).optional() });

const tokenBody = z.object({
  grant_type: z.string({ error: 'is required' }),
  client_id: z.string().max(200).optional(),
  client_secret: z.string().max(1024).optional(),
});

const tokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
});

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`. */
function basicCredentials(ctx: Context): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(ctx.get('Authorization'));
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

const oauthError = (code: string, detail: string, errors?: { path: string; message: string }[]) =>
  new AppError(code, 400, 'Bad Request', { detail, errors, extensions: { error: code } });

/** `/api/v1/auth/*`: registration, sessions (login, refresh, logout) and service tokens. */
export function authRoutes(d: UserDomain, verifier: TokenVerifier, metrics: UserMetrics): ApiRouter {
  const api = createApiRouter();
  const tags = ['auth'];

  api.route({
    method: 'post',
    path: '/api/v1/auth/register',
    summary: 'Create an account (role user)',
    tags,
    body: registerBody,
    status: 201,
    responses: { 201: { description: 'The new account', schema: userSchema } },
    handler: async (_ctx, { body }) => {
      const user = await register(d, body);
      metrics.registrations.inc();
      return user;
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email (or username) and password, form-encoded or JSON',
    tags,
    body: loginBody,
    responses: { 200: { description: 'Access and refresh token', schema: tokenResponse } },
    handler: (ctx, { body }) => {
      noStore(ctx);
      return countingLogin(metrics, () => login(d, body.email ?? body.username ?? '', body.password, ctx.ip));
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/refresh',
    summary: 'Trade a refresh token for new tokens (the old one is spent; reusing it revokes the session)',
    tags,
    body: refreshBody,
    responses: { 200: { description: 'Access and refresh token', schema: tokenResponse } },
    handler: (ctx, { body }) => {
      noStore(ctx);
      return refresh(d, body.refresh_token);
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'End the session of a refresh token and/or of the bearer access token',
    tags,
    body: logoutBody,
    secured: true,
    status: 204,
    responses: { 204: { description: 'Signed out' } },
    handler: async (ctx, { body }) => {
      const identity = await optionalIdentity(verifier, ctx, Boolean(body.refresh_token));
      if (!body.refresh_token && !identity) {
        throw validationError([{ path: 'refresh_token', message: 'is required without a bearer token' }]);
      }
      await logout(d, { refreshToken: body.refresh_token, identity });
      return noContent(ctx);
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/token',
    summary: 'Client-credentials grant for services (HTTP Basic or client_id/client_secret in the body)',
    tags,
    body: tokenBody,
    handler: (ctx, { body }) => {
      noStore(ctx);
      if (body.grant_type !== 'client_credentials') {
        throw oauthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported here', [
          { path: 'grant_type', message: 'must be client_credentials' },
        ]);
      }
      const basic = basicCredentials(ctx);
      if (basic && body.client_secret !== undefined) {
        throw oauthError(
          'invalid_request',
          'Send client credentials in the Authorization header or the body, not both',
        );
      }
      const id = basic?.id ?? body.client_id;
      const secret = basic?.secret ?? body.client_secret;
      if (!id || !secret) {
        throw oauthError('invalid_request', 'Client credentials are required', [
          { path: id ? 'client_secret' : 'client_id', message: 'is required' },
        ]);
      }
      return issueServiceToken(d, id, secret);
    },
  });
  return api;
}
