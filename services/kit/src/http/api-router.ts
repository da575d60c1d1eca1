import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { parseInput } from './validation.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Documentation of one response of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

/** What a route handler receives: validated params, query and body. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/**
 * One HTTP route: the same zod schemas validate the request and document it in `/openapi.json`.
 * The handler returns the response body (sent with `status`, default 200), or sets `ctx` itself
 * and returns undefined.
 */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** Koa path syntax: `/api/v1/orders/:id`. */
  path: string;
  summary: string;
  tags?: string[];
  /** Documents that the route needs a bearer token (enforce it with `middleware`). */
  secured?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  responses?: Record<number, ResponseSpec>;
  /** Runs before validation, e.g. authentication and role guards. */
  middleware?: Middleware[];
  handler: (
    ctx: Context,
    input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>,
  ) => Promise<unknown> | unknown;
}

export interface ApiRouter {
  readonly router: Router;
  route<
    P extends z.ZodType = z.ZodUnknown,
    Q extends z.ZodType = z.ZodUnknown,
    B extends z.ZodType = z.ZodUnknown,
  >(
    spec: RouteSpec<P, Q, B>,
  ): void;
  /** The OpenAPI 3.1 `paths` object for every route defined so far. */
  openApiPaths(): Record<string, Record<string, unknown>>;
}

const toJsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const problemResponse = {
  description: 'Error (application/problem+json)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * A router whose routes validate with zod and describe themselves in OpenAPI.
 *
 * @example const api = createApiRouter(); api.route({ method: 'get', path: '/things/:id', ... });
 */
export function createApiRouter(): ApiRouter {
  const router = new Router();
  const paths: Record<string, Record<string, unknown>> = {};
  return {
    router,
    route(spec) {
      const handler: Middleware = async (ctx) => {
        const input = {
          params: spec.params ? parseInput(spec.params, ctx.params, 'params') : ctx.params,
          query: spec.query ? parseInput(spec.query, ctx.query, 'query') : ctx.query,
          body: spec.body ? parseInput(spec.body, ctx.request.body ?? {}, 'body') : ctx.request.body,
        } as RouteInput<never, never, never>;
        const result = await spec.handler(ctx, input);
        if (result !== undefined) {
          ctx.status = spec.status ?? 200;
          ctx.body = result;
        }
      };
      router[spec.method](spec.path, ...(spec.middleware ?? []), handler);

      const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
      const responses: Record<string, unknown> = {};
      for (const [status, response] of Object.entries(
        spec.responses ?? { [spec.status ?? 200]: { description: 'OK' } },
      )) {
        responses[status] = response.schema
          ? {
              description: response.description,
              content: { 'application/json': { schema: toJsonSchema(response.schema) } },
            }
          : { description: response.description };
      }
      responses.default = problemResponse;
      paths[openApiPath] ??= {};
      paths[openApiPath][spec.method] = {
        summary: spec.summary,
        ...(spec.tags ? { tags: spec.tags } : {}),
        ...(spec.secured ? { security: [{ bearerAuth: [] }] } : {}),
        parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
        ...(spec.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: toJsonSchema(spec.body) } },
              },
            }
          : {}),
        responses,
      };
    },
    openApiPaths: () => paths,
  };
}

/** The OpenAPI 3.1 document of one service. */
export function openApiDocument(info: { title: string; version: string }, routers: ApiRouter[]) {
  return {
    openapi: '3.1.0',
    info,
    paths: Object.assign({}, ...routers.map((r) => r.openApiPaths())),
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            request_id: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
