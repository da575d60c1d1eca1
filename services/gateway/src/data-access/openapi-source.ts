import type { Logger } from '@cartwheel/kit';

import { mergeOpenApi, type UpstreamDocument } from '../domain/openapi-merge.js';
import type { RouteTable, Upstream } from '../domain/route-table.js';

export interface OpenApiSourceOptions {
  /** The table in force; the merge follows discovery. */
  routes: () => RouteTable;
  /** Per upstream fetch. */
  timeoutMs: number;
  /** How long one merged document is served before the upstreams are asked again (0 = every time). */
  cacheMs: number;
  version: string;
  logger: Logger;
}

async function fetchDocument(upstream: Upstream, timeoutMs: number): Promise<UpstreamDocument> {
  const response = await fetch(`${upstream.url.replace(/\/+$/, '')}/openapi.json`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  const document = (await response.json()) as unknown;
  if (typeof document !== 'object' || document === null) throw new Error('not a JSON object');
  return { upstream: upstream.name, document: document as Record<string, unknown> };
}

/**
 * The merged OpenAPI document of every routed upstream, fetched with a timeout and cached
 * briefly. An upstream that does not answer is left out and named in `x-unavailable`; the
 * document is never worse than what answered. Concurrent callers share one fetch.
 */
export function createOpenApiSource(options: OpenApiSourceOptions): () => Promise<unknown> {
  let cached: { table: RouteTable; at: number; document: unknown } | undefined;
  let inflight: Promise<unknown> | undefined;

  async function build(table: RouteTable): Promise<unknown> {
    const upstreams = table.upstreams();
    const settled = await Promise.allSettled(upstreams.map((u) => fetchDocument(u, options.timeoutMs)));
    const documents: UpstreamDocument[] = [];
    const unavailable: string[] = [];
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') documents.push(result.value);
      else {
        unavailable.push(upstreams[i].name);
        options.logger.debug({ upstream: upstreams[i].name, err: result.reason }, 'openapi.json not fetched');
      }
    });
    const document = mergeOpenApi({
      documents,
      unavailable,
      table,
      info: { title: 'Cartwheel API', version: options.version },
    });
    cached = { table, at: Date.now(), document };
    return document;
  }

  return () => {
    const table = options.routes();
    if (cached && cached.table === table && Date.now() - cached.at < options.cacheMs) {
      return Promise.resolve(cached.document);
    }
    inflight ??= build(table).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
}
