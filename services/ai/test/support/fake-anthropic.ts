/**
 * A local server that speaks the Anthropic Messages API (`POST /v1/messages`, JSON, no streaming),
 * so tests run the real `@anthropic-ai/sdk` against scripted answers: text and tool_use turns,
 * HTTP errors, bodies that are not JSON, and requests that never get an answer. Every request is
 * recorded for assertions on what the service sent.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A parsed request body; tests read it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestBody = any;

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: RequestBody;
}

export type Block =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type FakeAnswer =
  | { kind: 'message'; content: Block[]; stop_reason: string; usage?: Record<string, number> }
  | { kind: 'status'; status: number }
  | { kind: 'raw'; body: string }
  | { kind: 'hang' };

/** An answer, or a function of the request (e.g. echoing what a tool returned). */
export type Script = FakeAnswer | ((request: RecordedRequest) => FakeAnswer);

export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  /** Queues answers, used one per request in order; when none is queued, `otherwise` answers. */
  script(...answers: Script[]): void;
  otherwise: Script;
  close(): Promise<void>;
}

let toolIds = 0;

export const text = (value: string): Block => ({ type: 'text', text: value });
export const toolUse = (name: string, input: unknown): Block => ({
  type: 'tool_use',
  id: `toolu_${(toolIds += 1)}`,
  name,
  input,
});

/** A model turn; `stop_reason` is `tool_use` when it holds a tool call, `end_turn` otherwise. */
export const answer = (...content: Block[]): FakeAnswer => ({
  kind: 'message',
  content,
  stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
  usage: {
    input_tokens: 120,
    output_tokens: 30,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 0,
  },
});

export const status = (code: number): FakeAnswer => ({ kind: 'status', status: code });
export const hang: FakeAnswer = { kind: 'hang' };
export const raw = (body: string): FakeAnswer => ({ kind: 'raw', body });

function send(res: ServerResponse, result: FakeAnswer, model: string): void {
  switch (result.kind) {
    case 'hang':
      return;
    case 'status':
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'scripted failure' } }));
      return;
    case 'raw':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(result.body);
      return;
    case 'message':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `msg_${Date.now()}`,
          type: 'message',
          role: 'assistant',
          model,
          content: result.content,
          stop_reason: result.stop_reason,
          stop_sequence: null,
          usage: result.usage ?? { input_tokens: 10, output_tokens: 5 },
        }),
      );
  }
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const queue: Script[] = [];
  const fake = {
    url: '',
    requests: [] as RecordedRequest[],
    otherwise: status(500) as Script,
    script: (...answers: Script[]) => void queue.push(...answers),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const parsed: RequestBody = body ? JSON.parse(body) : undefined;
      const request = { path: req.url ?? '', headers: req.headers, body: parsed };
      fake.requests.push(request);
      if (req.method !== 'POST' || req.url !== '/v1/messages') {
        send(res, status(404), '');
        return;
      }
      const next = queue.shift() ?? fake.otherwise;
      send(res, typeof next === 'function' ? next(request) : next, parsed?.model ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** The tool results the service sent in the last user turn of `request`, parsed. */
export function toolResults(
  request: RecordedRequest,
): Array<{ tool_use_id: string; is_error?: boolean; content: string }> {
  const last = request.body.messages[request.body.messages.length - 1];
  return Array.isArray(last.content)
    ? last.content.filter((block: { type: string }) => block.type === 'tool_result')
    : [];
}

/** Every text the service sent in user turns, system prompt and assistant turns, by place. */
export function textsByPlace(request: RecordedRequest): {
  system: string;
  user: string[];
  assistant: string[];
} {
  const texts = (content: unknown): string[] =>
    typeof content === 'string'
      ? [content]
      : (content as Array<{ type: string; text?: string; content?: string }>).map(
          (block) => block.text ?? block.content ?? '',
        );
  const by = (role: string) =>
    request.body.messages
      .filter((m: { role: string }) => m.role === role)
      .flatMap((m: { content: unknown }) => texts(m.content));
  return {
    system: request.body.system.map((block: { text: string }) => block.text).join('\n'),
    user: by('user'),
    assistant: by('assistant'),
  };
}
