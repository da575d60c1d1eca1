import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific fields, plus the de-facto ones proxies also drop. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Recomputed by the gateway, never passed on as the client wrote them. */
const RECOMPUTED = new Set(['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']);

/** Fields named in `Connection` are hop-by-hop too (`Connection: close, x-secret`). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set(
    (Array.isArray(value) ? value.join(',') : (value ?? ''))
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

function endToEnd(headers: IncomingHttpHeaders, alsoDrop: ReadonlySet<string>): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || alsoDrop.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/** What the gateway knows about the request that the upstream should know too. */
export interface ForwardingFacts {
  requestId: string;
  /** Client first, then each trusted proxy, then the gateway's peer. */
  forwardedFor: string;
  proto: string;
  host: string;
  /** The request carries a body of unknown length (chunked): keep it chunked upstream. */
  chunkedBody: boolean;
}

/**
 * Headers for the upstream request: the client's end-to-end headers (Authorization, traceparent,
 * Idempotency-Key… pass unchanged), without hop-by-hop ones, with X-Forwarded-* and X-Request-Id
 * set by the gateway. `Expect` is dropped: the gateway already answered `100 Continue`.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  facts: ForwardingFacts,
): OutgoingHttpHeaders {
  const headers = endToEnd(incoming, new Set([...RECOMPUTED, 'expect', 'x-request-id']));
  headers['x-forwarded-for'] = facts.forwardedFor;
  headers['x-forwarded-proto'] = facts.proto;
  headers['x-forwarded-host'] = facts.host;
  headers['x-request-id'] = facts.requestId;
  if (facts.chunkedBody) headers['transfer-encoding'] = 'chunked';
  return headers;
}

/**
 * Headers of the upstream's response to pass to the client, without hop-by-hop ones and without
 * those the gateway owns (`owned`, lower case: its rate-limit and CORS headers win).
 */
export function clientResponseHeaders(
  upstream: IncomingHttpHeaders,
  owned: (name: string) => boolean,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(endToEnd(upstream, new Set()))) {
    if (!owned(name) && value !== undefined) kept[name] = value as string | string[];
  }
  return kept;
}
