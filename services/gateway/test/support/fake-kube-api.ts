import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of a Service the fake keeps (what the gateway reads). */
export interface FakeService {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec: { clusterIP?: string; ports: { name?: string; port: number }[] };
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: FakeService;
  rv: number;
}

/** One request the fake answered, for assertions on what client-node asked. */
export interface SeenCall {
  watch: boolean;
  labelSelector: string | null;
  resourceVersion: string | null;
}

/**
 * A small Kubernetes API server: `GET /api/v1/namespaces/<ns>/services` answers a ServiceList
 * with a resourceVersion, and with `?watch=true` streams ADDED/MODIFIED/DELETED JSON lines from
 * the given resourceVersion on, as the real API server does. Enough for @kubernetes/client-node's
 * informer to list, watch, reconnect and relist against it.
 */
export interface FakeKubeApi {
  url: string;
  calls: SeenCall[];
  apply(service: FakeService): void;
  remove(name: string): void;
  /** Deletes without telling any watcher: only a fresh list will notice. */
  removeSilently(name: string): void;
  /** Ends every open watch stream cleanly (what the API server does on its own timeout). */
  endWatches(): void;
  /** Answers list and watch requests with this status until set back to undefined. */
  failWith: number | undefined;
  openWatches(): number;
  close(): Promise<void>;
}

const matchesSelector = (service: FakeService, selector: string | null) =>
  (selector ?? '')
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [key, value] = term.split('=');
      return service.metadata.labels?.[key] === value;
    });

export async function startFakeKubeApi(namespace: string): Promise<FakeKubeApi> {
  const services = new Map<string, FakeService>();
  const events: WatchEvent[] = [];
  const watchers = new Set<{ res: ServerResponse; selector: string | null }>();
  let rv = 1;

  const send = (res: ServerResponse, event: WatchEvent) =>
    res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);

  function record(type: WatchEvent['type'], service: FakeService, notify = true): void {
    rv += 1;
    const object = { ...service, metadata: { ...service.metadata, resourceVersion: String(rv) } };
    if (type === 'DELETED') services.delete(service.metadata.name);
    else services.set(service.metadata.name, object);
    if (!notify) return;
    const event = { type, object, rv };
    events.push(event);
    for (const w of watchers) if (matchesSelector(object, w.selector)) send(w.res, event);
  }

  const path = `/api/v1/namespaces/${namespace}/services`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const watch = url.searchParams.get('watch') === 'true';
    const selector = url.searchParams.get('labelSelector');
    api.calls.push({
      watch,
      labelSelector: selector,
      resourceVersion: url.searchParams.get('resourceVersion'),
    });
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}');
      return;
    }
    if (api.failWith !== undefined) {
      res.writeHead(api.failWith, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: api.failWith, message: 'fake failure' }));
      return;
    }
    if (!watch) {
      const items = [...services.values()].filter((s) => matchesSelector(s, selector));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'ServiceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: String(rv) },
          items,
        }),
      );
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? rv);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    for (const event of events)
      if (event.rv > from && matchesSelector(event.object, selector)) send(res, event);
    const watcher = { res, selector };
    watchers.add(watcher);
    res.on('close', () => watchers.delete(watcher));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const api: FakeKubeApi = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: [],
    failWith: undefined,
    apply: (service) => record(services.has(service.metadata.name) ? 'MODIFIED' : 'ADDED', service),
    remove: (name) => {
      const service = services.get(name);
      if (service) record('DELETED', service);
    },
    removeSilently: (name) => {
      const service = services.get(name);
      if (service) record('DELETED', service, false);
    },
    endWatches: () => {
      for (const w of watchers) w.res.end();
      watchers.clear();
    },
    openWatches: () => watchers.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return api;
}

/** A Service of the platform that routes `prefixes` to a local port (its ClusterIP is loopback). */
export function cartwheelService(
  name: string,
  namespace: string,
  port: number,
  prefixes: string,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): FakeService {
  return {
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/part-of': 'cartwheel', ...extra.labels },
      annotations: { 'cartwheel.dev/route-prefix': prefixes, ...extra.annotations },
    },
    spec: {
      clusterIP: '127.0.0.1',
      ports: [
        { name: 'metrics', port: 9 },
        { name: 'http', port },
      ],
    },
  };
}
