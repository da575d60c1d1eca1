import {
  authenticate,
  createApiRouter,
  requireRole,
  type ApiRouter,
  type TokenVerifier,
} from '@cartwheel/kit';
import { chat, type ChatDeps } from '../../domain/chat.use-case.js';
import { recommend } from '../../domain/recommend.use-case.js';
import { suggest } from '../../domain/suggest.use-case.js';
import {
  chatAnswer,
  chatBody,
  recommendationsAnswer,
  recommendationsQuery,
  suggestAnswer,
  suggestBody,
} from './schemas.js';

export type AiRoutesDeps = ChatDeps & { verifier: TokenVerifier };

const tags = ['ai'];
const refusals = {
  400: { description: 'A field is missing or invalid (named in `errors`)' },
  401: { description: 'No valid bearer token' },
  503: { description: 'The catalog is unavailable (the fallback needs it too)' },
};

/**
 * The AI API (DESIGN §6 "ai"): any signed-in caller; the gateway rate-limits `/api/v1/ai/*`.
 * Authentication runs before validation. Every answer says where it came from in `source`.
 */
export function aiRoutes(deps: AiRoutesDeps): ApiRouter {
  const api = createApiRouter();
  const signedIn = [authenticate(deps.verifier), requireRole('user', 'admin', 'service')];

  api.route({
    method: 'post',
    path: '/api/v1/ai/chat',
    summary: 'Shopping assistant: answers from the live catalog through tool use (search, product, stock)',
    tags,
    secured: true,
    middleware: signedIn,
    body: chatBody,
    responses: {
      200: { description: 'The reply and the products it names', schema: chatAnswer },
      ...refusals,
    },
    handler: (_ctx, { body }) => chat(deps, { message: body.message, history: body.history }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/ai/recommendations',
    summary: 'Related products in stock (never the product itself)',
    tags,
    secured: true,
    middleware: signedIn,
    query: recommendationsQuery,
    responses: {
      200: { description: 'Recommended products and why', schema: recommendationsAnswer },
      404: { description: 'No product has this id' },
      ...refusals,
    },
    handler: (_ctx, { query }) => recommend(deps, { productId: query.product_id, limit: query.limit }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/ai/suggest',
    summary: 'Natural-language search: text → catalog filters → matching products in stock',
    tags,
    secured: true,
    middleware: signedIn,
    body: suggestBody,
    responses: {
      200: { description: 'The filters understood and the products found', schema: suggestAnswer },
      ...refusals,
    },
    handler: (_ctx, { body }) => suggest(deps, body.query),
  });

  return api;
}
