import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { backoffDelay, type Logger } from '@cartwheel/kit';
import CircuitBreaker from 'opossum';

import {
  bodyTooLarge,
  clientClosedRequest,
  upstreamTimeout,
  upstreamUnavailable,
} from '../domain/gateway-errors.js';
import type { Upstream } from '../domain/route-table.js';

export type BreakerState = 'closed' | 'halfOpen' | 'open';

/** One request to pass on: the client's method, path and query, headers already rewritten, body stream. */
export interface ForwardRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/products?category=books`; appended to the upstream URL's path. */
  path: string;
  headers: OutgoingHttpHeaders;
  /** The client's request stream when it carries a body; never buffered. */
  body?: Readable;
  /**
   * The response to the client: when it closes unfinished, the client went away, so the upstream
   * request is aborted and not counted as the upstream's failure.
   */
  client: ServerResponse;
}

export interface UpstreamPoolOptions {
  /** Until the response headers arrive, and the longest silence while the body streams. */
  timeoutMs: number;
  /** Extra attempts for GET/HEAD without a body whose connection failed. */
  retries: number;
  bodyLimitBytes: number;
  breaker: {
    errorThresholdPercentage: number;
    volumeThreshold: number;
    resetTimeoutMs: number;
    rollingWindowMs: number;
  };
  logger: Logger;
  onBreakerState?: (upstream: string, state: BreakerState) => void;
  /** An upstream is no longer routed (its breaker is gone). */
  onForget?: (upstream: string) => void;
}

/**
 * Forwards requests to upstreams over keep-alive connections, one circuit breaker per upstream.
 * Resolves with the upstream's response as soon as its headers arrive (the body is left to
 * stream); rejects only with an AppError: 503 (cannot connect, circuit open), 504 (timeout), 413.
 */
export interface UpstreamPool {
  forward(upstream: Upstream, request: ForwardRequest): Promise<IncomingMessage>;
  breakerState(upstream: Upstream): BreakerState;
  /** Drops connections and breakers of upstreams no longer routed (after discovery changed the table). */
  retain(upstreams: Upstream[]): void;
  close(): void;
}

// Reasons an attempt ends without a usable answer that are not the upstream's fault.
class ClientGone extends Error {}
class BodyLimitExceeded extends Error {}
class AttemptTimedOut extends Error {}
/** The upstream answered 502/503/504: counted as a breaker failure, yet passed on to the client. */
class FailureResponse extends Error {
  constructor(readonly response: IncomingMessage) {
    super(`upstream responded ${response.statusCode}`);
  }
}

interface Entry {
  base: URL;
  transport: typeof http | typeof https;
  agent: http.Agent;
  breaker: CircuitBreaker<[() => Promise<IncomingMessage>], IncomingMessage>;
  openedAt: number;
}

const keyOf = (upstream: Upstream) => `${upstream.name} ${upstream.url}`;
const FAILURE_STATUSES = new Set([502, 503, 504]);
const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD';
const clientGone = (client: ServerResponse) => client.destroyed && !client.writableFinished;

/** Counts body bytes on their way upstream and fails the request once they pass the limit. */
function byteLimit(limit: number, onChunk: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      onChunk();
      done(seen > limit ? new BodyLimitExceeded() : null, chunk);
    },
  });
}

export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const entries = new Map<string, Entry>();
  const { logger, timeoutMs } = options;

  function entryFor(upstream: Upstream): Entry {
    const key = keyOf(upstream);
    const existing = entries.get(key);
    if (existing) return existing;
    // Idle sockets close after 4 s, before Node's default 5 s server keep-alive timeout could
    // close them under a request we just started on one.
    const agentOptions = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const };
    const base = new URL(upstream.url);
    const secure = base.protocol === 'https:';
    const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    const breaker = new CircuitBreaker<[() => Promise<IncomingMessage>], IncomingMessage>(
      (attempt) => attempt(),
      {
        name: upstream.name,
        timeout: false, // our own timer aborts the request for real
        errorThresholdPercentage: options.breaker.errorThresholdPercentage,
        volumeThreshold: options.breaker.volumeThreshold,
        resetTimeout: options.breaker.resetTimeoutMs,
        rollingCountTimeout: options.breaker.rollingWindowMs,
        errorFilter: (error: unknown) => error instanceof ClientGone || error instanceof BodyLimitExceeded,
      },
    );
    const entry: Entry = { base, transport: secure ? https : http, agent, breaker, openedAt: 0 };
    const report = (state: BreakerState) => () => {
      if (state === 'open') entry.openedAt = Date.now();
      logger[state === 'open' ? 'warn' : 'info'](
        { upstream: upstream.name, state },
        'circuit breaker changed',
      );
      options.onBreakerState?.(upstream.name, state);
    };
    breaker.on('open', report('open'));
    breaker.on('halfOpen', report('halfOpen'));
    breaker.on('close', report('closed'));
    options.onBreakerState?.(upstream.name, 'closed');
    entries.set(key, entry);
    return entry;
  }

  function attempt(upstream: Upstream, entry: Entry, request: ForwardRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const { base } = entry;
      const { client } = request;
      if (clientGone(client)) return reject(new ClientGone());
      const outgoing = entry.transport.request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: request.method,
        path: base.pathname.replace(/\/+$/, '') + request.path,
        headers: request.headers,
        agent: entry.agent,
      });
      const timer = setTimeout(() => outgoing.destroy(new AttemptTimedOut()), timeoutMs);
      const onClientClose = () => {
        if (!client.writableFinished) outgoing.destroy(new ClientGone());
      };
      client.once('close', onClientClose);
      const settle = () => {
        clearTimeout(timer);
        client.off('close', onClientClose);
      };

      outgoing.on('error', (error) => {
        settle();
        reject(error);
      });
      outgoing.on('response', (response) => {
        settle();
        watchBody(response, client, () => outgoing.destroy(new AttemptTimedOut()));
        if (FAILURE_STATUSES.has(response.statusCode ?? 0)) reject(new FailureResponse(response));
        else resolve(response);
      });

      if (!request.body) {
        outgoing.end();
        return;
      }
      // Not stream.pipeline: on an error it would destroy the client's socket, and the client
      // should still get the 413 (or 503) as an answer.
      // While the client is still sending, the upstream is not late: each chunk restarts the clock.
      const limit = byteLimit(options.bodyLimitBytes, () => timer.refresh());
      limit.on('error', (error) => {
        request.body?.unpipe(limit);
        request.body?.resume(); // discard the rest, so the client's socket can take our answer
        outgoing.destroy(error);
      });
      request.body.pipe(limit).pipe(outgoing);
    });
  }

  /**
   * From the response headers on, the timeout guards silence: a body from which nothing arrives
   * for timeoutMs is cut off (the client sees it truncated, as the upstream left it). Time the
   * client itself spends not reading (backpressure) does not count: a slow download is not a
   * dead upstream. Polls the socket's byte count rather than listening for data, which would
   * start the stream flowing before it is piped.
   */
  function watchBody(response: IncomingMessage, client: ServerResponse, cutOff: () => void): void {
    const socket = response.socket;
    let lastRead = socket.bytesRead;
    const watchdog = setTimeout(() => {
      const progressed = socket.bytesRead !== lastRead;
      lastRead = socket.bytesRead;
      if (progressed || client.writableNeedDrain) watchdog.refresh();
      else cutOff();
    }, timeoutMs);
    response.once('close', () => clearTimeout(watchdog));
  }

  async function forward(upstream: Upstream, request: ForwardRequest): Promise<IncomingMessage> {
    const entry = entryFor(upstream);
    const retries = isSafeMethod(request.method) && !request.body ? options.retries : 0;
    for (let retry = 0; ; retry += 1) {
      try {
        return await entry.breaker.fire(() => attempt(upstream, entry, request));
      } catch (error) {
        if (error instanceof FailureResponse) return error.response;
        const connectionFailed = !(
          error instanceof AttemptTimedOut ||
          error instanceof ClientGone ||
          error instanceof BodyLimitExceeded ||
          isOpenBreaker(error)
        );
        if (connectionFailed && retry < retries && !clientGone(request.client)) {
          logger.debug(
            { upstream: upstream.name, retry: retry + 1, err: error },
            'retrying upstream request',
          );
          await sleep(backoffDelay(retry, 50));
          continue;
        }
        throw toGatewayError(upstream, entry, error);
      }
    }
  }

  function toGatewayError(upstream: Upstream, entry: Entry, error: unknown): Error {
    if (error instanceof AttemptTimedOut) return upstreamTimeout(upstream.name, timeoutMs, error);
    if (error instanceof BodyLimitExceeded) return bodyTooLarge(options.bodyLimitBytes);
    if (error instanceof ClientGone) return clientClosedRequest();
    if (isOpenBreaker(error)) {
      const left = entry.openedAt + options.breaker.resetTimeoutMs - Date.now();
      return upstreamUnavailable(upstream.name, Math.max(1, Math.ceil(left / 1000)), error);
    }
    return upstreamUnavailable(upstream.name, undefined, error);
  }

  /**
   * Forgets an upstream. Requests still in flight to it finish on their sockets unless `now`
   * (on close, after the server drained); its idle sockets close by the agent's timeout.
   */
  function drop(key: string, now: boolean): void {
    const entry = entries.get(key);
    if (!entry) return;
    entry.breaker.shutdown();
    if (now) entry.agent.destroy();
    entries.delete(key);
    const name = key.slice(0, key.indexOf(' '));
    if (![...entries.keys()].some((other) => other.startsWith(`${name} `))) options.onForget?.(name);
  }

  return {
    forward,
    breakerState(upstream) {
      const breaker = entries.get(keyOf(upstream))?.breaker;
      if (!breaker) return 'closed';
      return breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';
    },
    retain(upstreams) {
      const keep = new Set(upstreams.map(keyOf));
      for (const key of [...entries.keys()]) if (!keep.has(key)) drop(key, false);
    },
    close() {
      for (const key of [...entries.keys()]) drop(key, true);
    },
  };
}

function isOpenBreaker(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}
