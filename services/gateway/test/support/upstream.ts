import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake upstream saw for one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** Set when the connection closed before the response finished (the gateway aborted). */
  aborted: boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

/** A real HTTP server on port 0 whose behaviour each test sets through `handle`. */
export interface FakeUpstream {
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Default: 200 JSON echo of method and url. */
  handle: Handler;
  /** Read the request body before calling `handle` (default true; false lets the handler stream it). */
  readBody: boolean;
  close(): Promise<void>;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startUpstream(port = 0): Promise<FakeUpstream> {
  const upstream: FakeUpstream = {
    url: '',
    port: 0,
    requests: [],
    readBody: true,
    handle: (req, res) => json(res, 200, { method: req.method, url: req.url }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer(async (req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      aborted: false,
    };
    upstream.requests.push(seen);
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    if (upstream.readBody) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.body = Buffer.concat(chunks);
    }
    await upstream.handle(req, res, seen);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  upstream.port = (server.address() as AddressInfo).port;
  upstream.url = `http://127.0.0.1:${upstream.port}`;
  return upstream;
}
