import { isDeepStrictEqual } from 'node:util';

import type { RouteTable } from './route-table.js';

type Json = Record<string, unknown>;

/** One upstream's `/openapi.json`, as fetched. */
export interface UpstreamDocument {
  upstream: string;
  document: Json;
}

export interface MergeInput {
  documents: UpstreamDocument[];
  /** Upstreams whose document could not be fetched: listed in `x-unavailable`. */
  unavailable: string[];
  /** Only paths the gateway routes to the upstream that documents them are kept. */
  table: RouteTable;
  info: { title: string; version: string };
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The path prefix an upstream's own `servers[0].url` puts before its paths (`/api/v1`), or ''. */
function serverPrefix(document: Json): string {
  const servers = document.servers;
  const first = Array.isArray(servers) && isObject(servers[0]) ? servers[0].url : undefined;
  if (typeof first !== 'string') return '';
  const pathname = new URL(first, 'http://gateway.invalid').pathname;
  return pathname.replace(/\/+$/, '');
}

/** Rewrites every `$ref` to a renamed component, anywhere in `value`. */
function rewriteRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (renamed.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renamed));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof item === 'string' && renamed.has(item)
        ? renamed.get(item)
        : rewriteRefs(item, renamed);
  }
  return out;
}

/** Operations without tags are tagged with their upstream, so the explorer groups them by service. */
function tagOperations(pathItem: Json, upstream: string): Json {
  const out: Json = {};
  for (const [key, operation] of Object.entries(pathItem)) {
    const untagged = HTTP_METHODS.has(key) && isObject(operation) && !Array.isArray(operation.tags);
    out[key] = untagged ? { ...operation, tags: [upstream] } : operation;
  }
  return out;
}

/**
 * One OpenAPI document for everything behind the gateway. Each upstream's paths are prefixed by
 * its own server path, then kept only when the gateway routes them to that upstream (so a
 * service's `/health` or an unrouted path never appears). Components that two upstreams define
 * differently under one name are renamed `<upstream>_<name>`, and that upstream's `$ref`s follow.
 */
export function mergeOpenApi(input: MergeInput): Json {
  const paths: Json = {};
  const components: Record<string, Json> = {};

  for (const { upstream, document } of input.documents) {
    const renamed = new Map<string, string>();
    const own = isObject(document.components) ? document.components : {};
    const additions: Array<[string, string, unknown]> = [];
    for (const [kind, entries] of Object.entries(own)) {
      if (!isObject(entries)) continue;
      components[kind] ??= {};
      for (const [name, definition] of Object.entries(entries)) {
        const existing = components[kind][name];
        if (existing === undefined) {
          additions.push([kind, name, definition]);
        } else if (!isDeepStrictEqual(existing, definition)) {
          const alias = `${upstream}_${name}`;
          renamed.set(`#/components/${kind}/${name}`, `#/components/${kind}/${alias}`);
          additions.push([kind, alias, definition]);
        }
      }
    }
    for (const [kind, name, definition] of additions)
      components[kind][name] = rewriteRefs(definition, renamed);

    const prefix = serverPrefix(document);
    for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
      if (!isObject(item)) continue;
      const full = `${prefix}${path.startsWith('/') ? '' : '/'}${path}`;
      // Template segments (`{id}`) stand for one concrete segment when asking the table.
      const route = input.table.resolve(full.replace(/\{[^}/]+\}/g, 'x'));
      if (route?.upstream.name !== upstream) continue;
      paths[full] = rewriteRefs(tagOperations(item, upstream), renamed);
    }
  }

  const missing = input.unavailable.length
    ? { description: `Not shown, their services did not answer: ${input.unavailable.join(', ')}.` }
    : {};
  return {
    openapi: '3.1.0',
    info: { ...input.info, ...missing },
    servers: [{ url: '/' }],
    paths,
    components,
    'x-unavailable': input.unavailable,
  };
}
