import { authenticate, createApiRouter, notFound, type ApiRouter, type TokenVerifier } from '@cartwheel/kit';
import { z } from 'zod';
import { addAddress, listAddresses, removeAddress, updateAddress } from '../../domain/addresses.use-case.js';
import type { UserDomain } from '../../domain/context.js';
import { callerOf, noContent } from './caller.js';
import { addressSchema, idParams, notEmpty, optionalText, parseId, strictBody, text } from './schemas.js';

const fields = {
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  state: optionalText(100),
  postal_code: text(20),
  country: text(100),
  is_default: z.boolean().optional(),
};

const newAddress = strictBody(fields, ['id']);

const addressChanges = strictBody(
  {
    line1: fields.line1.optional(),
    line2: fields.line2,
    city: fields.city.optional(),
    state: fields.state,
    postal_code: fields.postal_code.optional(),
    country: fields.country.optional(),
    is_default: fields.is_default,
  },
  ['id'],
).refine(notEmpty, { message: 'send at least one field to change' });

function addressId(raw: string): number {
  const id = parseId(raw);
  if (id === undefined) throw notFound('Address');
  return id;
}

/** `/api/v1/users/me/addresses`: the signed-in account's addresses; at most one is the default. */
export function addressesRoutes(d: UserDomain, verifier: TokenVerifier): ApiRouter {
  const api = createApiRouter();
  const common = { tags: ['addresses'], secured: true, middleware: [authenticate(verifier)] };
  const one = { description: 'The address', schema: addressSchema };

  api.route({
    ...common,
    method: 'get',
    path: '/api/v1/users/me/addresses',
    summary: 'List my addresses',
    responses: { 200: { description: 'My addresses', schema: z.array(addressSchema) } },
    handler: async (ctx) => listAddresses(d, await callerOf(d, ctx)),
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/v1/users/me/addresses',
    summary: 'Add an address (the first one, or one sent with is_default, becomes the default)',
    body: newAddress,
    status: 201,
    responses: { 201: one },
    handler: async (ctx, { body }) => addAddress(d, await callerOf(d, ctx), body),
  });

  api.route({
    ...common,
    method: 'patch',
    path: '/api/v1/users/me/addresses/:id',
    summary: 'Change one of my addresses',
    params: idParams,
    body: addressChanges,
    responses: { 200: one },
    handler: async (ctx, { params, body }) =>
      updateAddress(d, await callerOf(d, ctx), addressId(params.id), body),
  });

  api.route({
    ...common,
    method: 'delete',
    path: '/api/v1/users/me/addresses/:id',
    summary: 'Delete one of my addresses',
    params: idParams,
    status: 204,
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      await removeAddress(d, await callerOf(d, ctx), addressId(params.id));
      return noContent(ctx);
    },
  });
  return api;
}
