// GET /api/v1/products?category=… straight to the product service, and the same request through
// the gateway in front of it, in the same run, with the same 64-connection load. The product
// service runs on its embedded document store with the demo catalog; the gateway runs with its
// production middleware (request id, access log, edge auth check, in-memory rate limiter raised
// out of the way, breaker, streaming proxy). Each of the three runs on its own event loop, as
// separate pods would: the product service in this thread, the gateway and the load generator
// in worker threads.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';

import { createEmbeddedBus, createLogger, createTokenVerifier, listen, loadConfig } from '@cartwheel/kit';
import { createApp as createGateway, gatewayConfig } from '@cartwheel/gateway';
import { openEmbeddedStore, startCatalogService } from '@cartwheel/product';
import { createTestIssuer } from '@cartwheel/testing';
import { formatTable, percentile } from './support/stats.js';

export interface ProxyBenchRow {
  scenario: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-200 answers and transport errors; a valid run has none. */
  failures: number;
}

export interface ProxyBenchOptions {
  connections: number;
  /** Length of each measured round. */
  roundMs: number;
  /** Rounds per target, alternating direct and gateway; the median round (by requests/s) is shown. */
  rounds: number;
  category: string;
}

// Plain JavaScript for an eval worker: a keep-alive agent with `connections` sockets, each
// connection sending its next GET as soon as the last answer was read, until the round ends.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, connections, durationMs } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const latencies = [];
let failures = 0;
const deadline = Date.now() + durationMs;
const once = () => new Promise((resolve) => {
  const started = performance.now();
  const req = http.get({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode === 200) latencies.push(performance.now() - started); else failures++;
      resolve();
    });
  });
  req.on('error', () => { failures++; resolve(); });
});
const loop = async () => { while (Date.now() < deadline) await once(); };
const began = performance.now();
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies), failures, seconds });
});
`;

interface Round {
  latencies: Float64Array;
  failures: number;
  seconds: number;
}

function loadRound(url: string, connections: number, durationMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, connections, durationMs } });
    worker.once('message', (round: Round) => {
      void worker.terminate();
      resolve(round);
    });
    worker.once('error', reject);
  });
}

/**
 * The gateway's own thread: started by `startGatewayThread` (this same module, loaded in a
 * worker), it routes to the product service and posts back where it listens.
 */
export async function serveGatewayInThisThread(): Promise<void> {
  const { productUrl } = workerData as { productUrl: string };
  const logger = createLogger({ service: 'gateway-bench', level: 'silent' });
  const issuer = await createTestIssuer();
  const config = loadConfig(gatewayConfig, {
    PRODUCT_URL: productUrl,
    LOG_LEVEL: 'silent',
    // The limiter still runs on every request; only its limit is out of the load's way.
    RATE_LIMIT_PER_MINUTE: String(1e9),
  });
  const gateway = createGateway({
    config,
    logger,
    verifier: createTokenVerifier({
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
    }),
  });
  const server = await listen(gateway.app, 0, '127.0.0.1');
  parentPort?.postMessage(server.url);
}

/**
 * Runs the gateway in a worker thread. The tsx loader this process runs under does not reach
 * worker threads on Node 20, so the worker registers it itself before loading this module.
 */
function startGatewayThread(productUrl: string): Promise<{ url: string; stop: () => Promise<number> }> {
  const worker = new Worker(
    `import('tsx/esm/api')
      .then(({ register }) => register())
      .then(() => import(${JSON.stringify(import.meta.url)}))
      .then((m) => m.serveGatewayInThisThread());`,
    { eval: true, workerData: { productUrl } },
  );
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (url: string) => resolve({ url, stop: () => worker.terminate() }));
  });
}

function toRow(scenario: string, rounds: Round[]): ProxyBenchRow {
  const rated = rounds
    .map((r) => ({ ...r, perSecond: r.latencies.length / r.seconds }))
    .sort((a, b) => a.perSecond - b.perSecond);
  const median = rated[Math.floor(rated.length / 2)];
  const sorted = Float64Array.from(median.latencies).sort();
  return {
    scenario,
    requests: sorted.length,
    seconds: median.seconds,
    perSecond: median.perSecond,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    failures: median.failures,
  };
}

/**
 * Starts the product service (embedded store, demo catalog) and a gateway routing to it, then
 * alternates load rounds against each; returns the direct row and the gateway row.
 */
export async function benchGatewayProxy(options: ProxyBenchOptions): Promise<ProxyBenchRow[]> {
  const logger = createLogger({ service: 'gateway-bench', level: 'silent' });
  const issuer = await createTestIssuer();
  const verifier = createTokenVerifier({
    issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-'));
  const bus = createEmbeddedBus({ logger });
  const product = await startCatalogService({
    store: await openEmbeddedStore({ filename: path.join(dataDir, 'products.db') }),
    bus,
    verifier,
    logger,
    port: 0,
    host: '127.0.0.1',
    currency: 'USD',
    demoData: true,
  });
  const gateway = await startGatewayThread(product.url);
  const query = `/api/v1/products?category=${encodeURIComponent(options.category)}`;
  try {
    const probe = await fetch(gateway.url + query);
    const listed = (await probe.json()) as unknown[];
    if (probe.status !== 200 || listed.length === 0) {
      throw new Error(
        `GET ${query} through the gateway answered ${probe.status} with ${listed.length} products`,
      );
    }
    // Warm-up (JIT, connection pools, caches) for both targets; not measured.
    await loadRound(product.url + query, options.connections, options.roundMs);
    await loadRound(gateway.url + query, options.connections, options.roundMs);
    const direct: Round[] = [];
    const proxied: Round[] = [];
    for (let i = 0; i < options.rounds; i++) {
      direct.push(await loadRound(product.url + query, options.connections, options.roundMs));
      proxied.push(await loadRound(gateway.url + query, options.connections, options.roundMs));
    }
    return [toRow('product service, direct', direct), toRow('through the gateway', proxied)];
  } finally {
    await gateway.stop();
    await product.stop();
    await bus.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The gateway's cost relative to the direct row: `61 % fewer req/s, p99 +140.8 ms`. */
export function gatewayCost(direct: ProxyBenchRow, proxied: ProxyBenchRow): string {
  return `${Math.round((1 - proxied.perSecond / direct.perSecond) * 100)} % fewer req/s, p99 +${(proxied.p99Ms - direct.p99Ms).toFixed(1)} ms`;
}

/** The proxy rows as a table, with the gateway's cost relative to the direct row. */
export function printProxyTable(rows: ProxyBenchRow[]): void {
  const [direct] = rows;
  const lines = [
    [
      'GET /api/v1/products?category=…, 64 connections',
      'requests',
      'req/s',
      'p50 ms',
      'p99 ms',
      'failures',
      'vs direct',
    ],
    ...rows.map((r) => [
      r.scenario,
      String(r.requests),
      String(Math.round(r.perSecond)),
      r.p50Ms.toFixed(1),
      r.p99Ms.toFixed(1),
      String(r.failures),
      r === direct ? '' : gatewayCost(direct, r),
    ]),
  ];
  console.log(formatTable(lines, [1, 2, 3, 4, 5]));
}
