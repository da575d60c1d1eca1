import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AppError } from '../../src/errors/app-error.js';

/** What the fake upstream saw for one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set once the connection closed before the response was finished (the client aborted). */
  aborted: boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

/** A real HTTP server on port 0 whose behaviour each test sets through `handle`. */
export interface Upstream {
  url: string;
  requests: SeenRequest[];
  readonly hits: number;
  handle: Handler;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const requests: SeenRequest[] = [];
  const upstream = {
    url: '',
    requests,
    get hits() {
      return requests.length;
    },
    handle: ((_req, res) => json(res, 200, {})) as Handler,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
      aborted: false,
    };
    requests.push(seen);
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    upstream.handle(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Awaits `promise` expecting an AppError and returns it. */
export async function appErrorFrom(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

/** Polls `check` every 10 ms until it holds or `withinMs` passes. */
export async function eventually(check: () => boolean, withinMs = 1000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
