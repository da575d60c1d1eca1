// A weighted mix of operations driven by autocannon against one base URL, with every answer
// recorded by operation: when it came (ms since the start), its status and its latency, so the
// figures can be cut per operation and per second. Ids of created resources (201 bodies' `_id`)
// are kept, so a fault script can check afterwards that every acknowledged order exists.
import autocannon from 'autocannon';

/** One HTTP request of an operation. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Operation {
  name: string;
  /** Share of requests (weights are normalised). */
  weight: number;
  /** Builds the next request (random choices are made here). */
  request(): RequestSpec;
}

export interface Sample {
  /** Milliseconds since the run started, when the answer (or error) arrived. */
  at: number;
  op: string;
  /** HTTP status, or the transport error (`timeout`, `ECONNRESET`, …). */
  status: number | string;
  /** Latency in ms; NaN for transport errors. */
  ms: number;
}

export interface Created {
  at: number;
  op: string;
  id: string;
}

export interface LoadRun {
  /** Epoch ms of the start. */
  startedAt: number;
  seconds: number;
  connections: number;
  samples: Sample[];
  /** `_id` of every 201 answer. */
  created: Created[];
  /** The first body of each `<operation> <status>` that is an error (≥ 400), cut to 300 characters. */
  firstErrors: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  operations: Operation[];
  /** Requests per second over all connections; unset = as fast as the answers come. */
  rate?: number;
  /** Per-request timeout in seconds (autocannon's, default 10). */
  timeoutSec?: number;
}

interface OpContext {
  op?: string;
}

/** What autocannon's `response` event hands over of its client. */
interface ClientState {
  requestIterator: { context: OpContext };
}

function picker(operations: Operation[]): () => Operation {
  const total = operations.reduce((sum, op) => sum + op.weight, 0);
  return () => {
    let roll = Math.random() * total;
    for (const op of operations) {
      roll -= op.weight;
      if (roll < 0) return op;
    }
    return operations[operations.length - 1];
  };
}

/** A load that is running: what it recorded so far, and how to end it early. */
export interface RunningLoad {
  startedAt: number;
  /** Live: grows while the load runs. */
  samples: Sample[];
  /** Live: grows while the load runs. */
  created: Created[];
  /** Ends the load before its duration; `done` then resolves. */
  stop(): void;
  done: Promise<LoadRun>;
}

/** Runs the mix for `durationSec` (see `startLoad`) and resolves with everything it recorded. */
export function runLoad(options: LoadOptions): Promise<LoadRun> {
  return startLoad(options).done;
}

/**
 * Starts the mix for up to `durationSec` on `connections` keep-alive connections (each sends its
 * next request when the last one was answered, or at `rate` overall), recording every answer.
 * Transport errors are recorded under the operation `(transport)`: autocannon does not say which
 * request a broken connection was carrying.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const pick = picker(options.operations);
  const samples: Sample[] = [];
  const created: Created[] = [];
  const firstErrors: Record<string, string> = {};
  const startedAt = Date.now();
  const since = () => Date.now() - startedAt;
  const settings: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    timeout: options.timeoutSec ?? 10,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        setupRequest: (request, context) => {
          const op = pick();
          (context as OpContext).op = op.name;
          const spec = op.request();
          return {
            ...request,
            method: spec.method,
            path: spec.path,
            headers: { ...spec.headers },
            body: spec.body ?? Buffer.alloc(0),
          };
        },
        onResponse: (status, body, context) => {
          const op = (context as OpContext).op ?? '?';
          if (status >= 400) firstErrors[`${op} ${status}`] ??= body.slice(0, 300);
          if (status !== 201) return;
          try {
            const id = (JSON.parse(body) as { _id?: unknown })._id;
            if (typeof id === 'string')
              created.push({ at: since(), op: (context as OpContext).op ?? '?', id });
          } catch {
            // not JSON: nothing to remember
          }
        },
      },
    ],
  };
  let instance: { stop(): void } | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(settings, (error) => (error ? reject(error as Error) : resolve()));
    // The typings omit the first argument autocannon passes: the client that got the answer.
    const events = instance as unknown as NodeJS.EventEmitter;
    events.on('response', (client: ClientState, statusCode: number, _bytes: number, responseTime: number) => {
      // With one request in flight per connection, the context still names the answered request.
      const op = client.requestIterator.context.op ?? '?';
      samples.push({ at: since(), op, status: statusCode, ms: responseTime });
    });
    events.on('reqError', (error: Error & { code?: string }) => {
      const status = error.message === 'request timed out' ? 'timeout' : (error.code ?? error.message);
      samples.push({ at: since(), op: '(transport)', status, ms: Number.NaN });
    });
  });
  const done = finished.then(() => ({
    startedAt,
    seconds: (Date.now() - startedAt) / 1000,
    connections: options.connections,
    samples,
    created,
    firstErrors,
  }));
  return { startedAt, samples, created, stop: () => instance?.stop(), done };
}
