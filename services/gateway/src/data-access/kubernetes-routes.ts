import { readFileSync } from 'node:fs';

import type { Logger } from '@cartwheel/kit';
import type * as ClientNodeModule from '@kubernetes/client-node';
import type { Informer, KubeConfig, V1Service } from '@kubernetes/client-node';

import { PART_OF_SELECTOR, routesFromServices, type DiscoveredService } from '../domain/discovered-routes.js';
import { createRouteTable, type RouteSource, type RouteTable } from '../domain/route-table.js';

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface KubernetesRoutesOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** A fresh list (and watch) this often, whatever the watch said. */
  resyncMs: number;
  logger: Logger;
  /** First delay after a failed list or a broken watch; doubles up to 30 s (default 1000). */
  retryBaseMs?: number;
}

type ClientNode = typeof ClientNodeModule;

/**
 * Loads @kubernetes/client-node, only when discovery is on (it is large). Version 2 runs on
 * undici 8, which needs Node >= 22.19: on an older Node its import fails deep inside undici, so
 * the error says what to change instead.
 */
async function loadClientNode(): Promise<ClientNode> {
  try {
    return await import('@kubernetes/client-node');
  } catch (error) {
    throw new Error(
      `@kubernetes/client-node cannot load on Node ${process.versions.node} (its undici 8 needs Node >= 22.19; ` +
        'pin undici to ^7 through npm overrides, or run Node >= 22.19)',
      { cause: error },
    );
  }
}

/**
 * The API server to talk to: `apiUrl` (out of cluster, e.g. `kubectl proxy`), else the pod's
 * service account. The client library is loaded only when discovery is on.
 */
export async function kubeConfigFor(apiUrl: string | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await loadClientNode();
  const kubeConfig = new KubeConfig();
  if (!apiUrl) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  kubeConfig.loadFromOptions({
    // client-node refuses plain http unless skipTLSVerify is set; an https URL keeps verification.
    clusters: [{ name: 'api', server: apiUrl, skipTLSVerify: apiUrl.startsWith('http:') }],
    users: [{ name: 'gateway' }],
    contexts: [{ name: 'gateway', cluster: 'api', user: 'gateway' }],
    currentContext: 'gateway',
  });
  return kubeConfig;
}

/** The namespace the gateway runs in (its service account says), else `default`. */
export function podNamespace(): string {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

function toDiscovered(service: V1Service): DiscoveredService {
  return {
    name: service.metadata?.name ?? '',
    namespace: service.metadata?.namespace ?? '',
    annotations: service.metadata?.annotations ?? {},
    clusterIP: service.spec?.clusterIP,
    ports: (service.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port })),
  };
}

/**
 * Routes learned from annotated Services (operator style): @kubernetes/client-node's informer
 * lists the Services labelled `app.kubernetes.io/part-of=cartwheel`, then watches them, and every
 * add/update/delete rebuilds the table. A failed list or a broken watch is retried with backoff
 * by a fresh informer (a fresh list), and so is a periodic resync; until the new list arrives
 * the last table stays in force. Resolves once the first attempt finished, listed or not
 * (`ready()` says which), so a missing API server does not keep the gateway from starting.
 */
export async function startKubernetesRoutes(options: KubernetesRoutesOptions): Promise<RouteSource> {
  const { makeInformer, CoreV1Api } = await loadClientNode();
  const { kubeConfig, namespace, logger } = options;
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const path = `/api/v1/namespaces/${namespace}/services`;
  const list = () => api.listNamespacedService({ namespace, labelSelector: PART_OF_SELECTOR });
  const retryBaseMs = options.retryBaseMs ?? 1_000;

  let table: RouteTable = createRouteTable([]);
  let synced = false;
  let current: (Informer<V1Service> & { list(): readonly V1Service[] }) | undefined;
  let stopped = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  const listeners: Array<(table: RouteTable) => void> = [];

  function publish(services: readonly V1Service[]): void {
    const { routes, problems } = routesFromServices(services.map(toDiscovered));
    for (const problem of problems) logger.warn({ namespace }, problem);
    table = createRouteTable(routes);
    synced = true;
    logger.info({ routes: routes.map((r) => `${r.prefix} -> ${r.upstream.url}`) }, 'routes discovered');
    for (const listener of listeners) listener(table);
  }

  function retryLater(error: unknown): void {
    if (stopped || retryTimer) return;
    failures += 1;
    const delayMs = Math.min(retryBaseMs * 2 ** (failures - 1), 30_000);
    logger.warn({ err: error, namespace, delayMs }, 'Kubernetes route discovery failed; retrying');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void cycle();
    }, delayMs);
    retryTimer.unref();
  }

  async function cycle(): Promise<void> {
    if (stopped) return;
    const informer = makeInformer<V1Service>(kubeConfig, path, list, PART_OF_SELECTOR);
    let failed: unknown;
    const changed = () => {
      if (informer === current) publish(informer.list());
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (error?: unknown) => {
      failed = error ?? new Error('watch failed');
      if (informer === current) retryLater(failed);
    });
    await informer.start();
    if (stopped || failed !== undefined) {
      await informer.stop();
      if (failed !== undefined) retryLater(failed);
      return;
    }
    const previous = current;
    current = informer;
    failures = 0;
    publish(informer.list());
    await previous?.stop();
  }

  const resync = setInterval(() => void cycle(), options.resyncMs);
  resync.unref();
  await cycle();

  return {
    table: () => table,
    ready: () => synced,
    onChange: (listener) => void listeners.push(listener),
    async stop() {
      stopped = true;
      clearInterval(resync);
      clearTimeout(retryTimer);
      await current?.stop();
    },
  };
}
