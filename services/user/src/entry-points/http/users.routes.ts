import {
  authenticate,
  createApiRouter,
  notFound,
  requireRole,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import { z } from 'zod';
import { changePassword, profile, updateProfile } from '../../domain/accounts.use-case.js';
import { listUsers, patchUser } from '../../domain/admin.use-case.js';
import type { UserDomain } from '../../domain/context.js';
import { adminOf, callerOf, noContent } from './caller.js';
import {
  idParams,
  notEmpty,
  optionalText,
  pageQuery,
  parseId,
  password,
  strictBody,
  text,
  userSchema,
} from './schemas.js';

const READ_ONLY = ['id', 'email', 'role', 'is_active', 'created_at', 'addresses', 'password'];

const profileChanges = strictBody(
  { first_name: text(100).optional(), last_name: text(100).optional(), phone: optionalText(32) },
  READ_ONLY,
).refine(notEmpty, { message: 'send at least one of first_name, last_name, phone' });

const passwordChange = strictBody({
  current_password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
  new_password: password,
});

const adminChanges = strictBody(
  { role: z.enum(['user', 'admin']).optional(), is_active: z.boolean().optional() },
  ['id', 'email', 'first_name', 'last_name', 'phone', 'created_at', 'addresses'],
).refine(notEmpty, { message: 'send role and/or is_active' });

/** `/api/v1/users/me` (own profile and password) and the admin's `/api/v1/users`. */
export function usersRoutes(d: UserDomain, verifier: TokenVerifier): ApiRouter {
  const api = createApiRouter();
  const signedIn = [authenticate(verifier)];
  const admin = [authenticate(verifier), requireRole('admin')];
  const me = { tags: ['users'], secured: true, middleware: signedIn };
  const ok = { 200: { description: 'The account', schema: userSchema } };

  // Before `/users/:id`, so `me` is never taken for an id.
  api.route({
    ...me,
    method: 'get',
    path: '/api/v1/users/me',
    summary: 'The signed-in account with its addresses (provisioned on first sight of a Keycloak user)',
    responses: ok,
    handler: async (ctx) => profile(d, await callerOf(d, ctx)),
  });

  api.route({
    ...me,
    method: 'patch',
    path: '/api/v1/users/me',
    summary: 'Change first_name, last_name or phone',
    body: profileChanges,
    responses: ok,
    handler: async (ctx, { body }) => updateProfile(d, await callerOf(d, ctx), body),
  });

  api.route({
    ...me,
    method: 'put',
    path: '/api/v1/users/me/password',
    summary: 'Change the password (signs out every other session)',
    body: passwordChange,
    status: 204,
    responses: { 204: { description: 'Changed' } },
    handler: async (ctx, { body }) => {
      await changePassword(d, await callerOf(d, ctx), body, ctx.ip);
      return noContent(ctx);
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/users',
    summary: 'List accounts (admin), with X-Total-Count',
    tags: ['admin'],
    secured: true,
    middleware: admin,
    query: pageQuery,
    responses: { 200: { description: 'A page of accounts', schema: z.array(userSchema) } },
    handler: async (ctx, { query }) => {
      await adminOf(d, ctx);
      const page = await listUsers(d, query);
      ctx.set('X-Total-Count', String(page.total));
      return page.items;
    },
  });

  api.route({
    method: 'patch',
    path: '/api/v1/users/:id',
    summary: "Change another account's role or active state (admin)",
    tags: ['admin'],
    secured: true,
    middleware: admin,
    params: idParams,
    body: adminChanges,
    responses: ok,
    handler: async (ctx, { params, body }) => {
      const actor = await adminOf(d, ctx);
      const id = parseId(params.id);
      if (id === undefined) throw notFound('User');
      return patchUser(d, actor, id, body);
    },
  });
  return api;
}
