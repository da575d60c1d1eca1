// Orders placed through the real services: the order service (HTTP, token check, validation),
// the catalog (product service on the MongoDB wire server) for prices, inventory (PostgreSQL) for
// the reservation, then one PostgreSQL transaction (order, lines, history, outbox) — with every
// service's outbox relay publishing to Kafka and inventory consuming order.placed meanwhile. All
// services run on this thread, the clients on a worker thread; PostgreSQL, FerretDB and Kafka
// are their own processes. After the run the oversell invariant is checked against both databases.
import { Worker } from 'node:worker_threads';
import type { OrderStore, Upstreams } from '@cartwheel/order';
import { createProduct, levels, SEED_ADDRESS } from '../services/order/test/support/fixtures.js';
import { startPlatform, type Platform } from '../services/order/test/support/platform.js';
import type { BenchResult } from './outbox-relay.bench.js';
import { percentile } from './support/stats.js';

export interface OrderPlaceBenchOptions {
  /** Distinct products; each order names two of them, one unit each. */
  skus: number;
  /** Units of each product: more than the run can take, unless the run is meant to sell out. */
  stock: number;
  orders: number;
  /** Concurrent clients, each sending its next order when the last one answered. */
  clients: number;
  /**
   * `service`: prices come from the product service over HTTP (the real path). `memory`: from a
   * copy read once from it at the start, to show what the rest of the path can do on its own.
   */
  catalog: 'service' | 'memory';
}

// Plain JavaScript for an eval worker: `clients` keep-alive connections, each posting its next
// order (two random products, one unit each, the seed's address) as soon as the last answer was read.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, tokens, products, address, clients, count } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const latencies = [];
const statuses = {};
let firstFailure;
const pick = () => products[Math.floor(Math.random() * products.length)];
const once = (client) => new Promise((resolve) => {
  const first = pick();
  let second = pick();
  while (second === first && products.length > 1) second = pick();
  const body = JSON.stringify({
    items: [{ product_id: first, quantity: 1 }, { product_id: second, quantity: 1 }],
    shipping_address: address,
  });
  const started = performance.now();
  const req = http.request(target, {
    method: 'POST',
    agent,
    headers: { authorization: 'Bearer ' + tokens[client], 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    let text = '';
    res.on('data', (chunk) => { if (res.statusCode !== 201 && !firstFailure) text += chunk; });
    res.on('end', () => {
      if (res.statusCode !== 201 && !firstFailure) firstFailure = res.statusCode + ' ' + text.slice(0, 500);
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      if (res.statusCode === 201) latencies.push(performance.now() - started);
      resolve();
    });
  });
  req.on('error', (error) => { statuses[error.code] = (statuses[error.code] || 0) + 1; resolve(); });
  req.end(body);
});
let next = 0;
const loop = async (client) => { while (next++ < count) await once(client); };
const began = performance.now();
Promise.all(Array.from({ length: clients }, (_, client) => loop(client))).then(() => {
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies), statuses, seconds, firstFailure });
});
`;

interface LoadRun {
  latencies: Float64Array;
  statuses: Record<string, number>;
  seconds: number;
  /** The status and body of the first answer that was not a 201. */
  firstFailure?: string;
}

function load(workerData: Record<string, unknown>): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData });
    worker.once('message', (run: LoadRun) => {
      void worker.terminate();
      resolve(run);
    });
    worker.once('error', reject);
  });
}

/** Time spent in one hop of placing an order, as the order service sees it. */
class Hop {
  readonly samples: number[] = [];
  constructor(readonly name: string) {}
  async time<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.samples.push(performance.now() - started);
    }
  }
  summary(): string {
    const sorted = Float64Array.from(this.samples).sort();
    const mean = this.samples.reduce((a, b) => a + b, 0) / Math.max(1, this.samples.length);
    return `${this.name}: mean ${mean.toFixed(1)} ms, p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms`;
  }
  reset(): void {
    this.samples.length = 0;
  }
}

const hops = {
  catalog: new Hop('catalog (GET products?ids=…)'),
  reserve: new Hop('inventory reserve (POST)'),
  insert: new Hop('insert transaction (order, lines, history, outbox)'),
};

/** The catalog's answers, once read, for the `memory` variant. */
const catalogCopy = new Map<string, Awaited<ReturnType<Upstreams['catalog']['findProducts']>>[number]>();
let catalogFromMemory = false;

const timedUpstreams = (upstreams: Upstreams): Upstreams => ({
  ...upstreams,
  catalog: {
    findProducts: (ids) =>
      hops.catalog.time(async () =>
        catalogFromMemory
          ? ids.flatMap((id) => catalogCopy.get(id) ?? [])
          : upstreams.catalog.findProducts(ids),
      ),
  },
  stock: {
    ...upstreams.stock,
    reserve: (id, items) => hops.reserve.time(() => upstreams.stock.reserve(id, items)),
  },
});

const timedStore = (store: OrderStore): OrderStore => ({
  ...store,
  insertOrder: (order, events, key) => hops.insert.time(() => store.insertOrder(order, events, key)),
});

/**
 * The oversell invariant, from both databases: for every product, the units the order database
 * holds in orders equal the units inventory has reserved for them, and available + reserved is
 * still the initial stock (nothing is shipped during the run), never below zero.
 */
async function checkInvariant(platform: Platform, products: string[], stock: number): Promise<number> {
  const sold = (await platform
    .orderDb('order_items')
    .select('product_id')
    .sum({ units: 'quantity' })
    .groupBy('product_id')) as Array<{ product_id: string; units: string | number }>;
  const soldOf = new Map(sold.map((row) => [row.product_id, Number(row.units)]));
  let total = 0;
  for (const id of products) {
    const [available, reserved] = await levels(platform, id);
    const units = soldOf.get(id) ?? 0;
    if (available < 0 || available + reserved !== stock || reserved !== units) {
      throw new Error(
        `oversell invariant broken for ${id}: available ${available}, reserved ${reserved}, ordered ${units}`,
      );
    }
    total += units;
  }
  return total;
}

/** The catalog hop's share of an order: the real path's orders/s next to the in-memory copy's. */
export function catalogCost(overHttp: BenchResult, inMemory: BenchResult): string {
  const rate = (r: BenchResult) => r.events / r.seconds;
  return `${rate(overHttp).toFixed(1)} orders/s with prices over HTTP vs ${rate(inMemory).toFixed(1)} from a copy in memory (${Math.round((rate(overHttp) / rate(inMemory)) * 100)} %)`;
}

/**
 * Starts user, product, inventory and order on the real servers (Kafka bus), creates `skus`
 * products through the catalog, warms up, then has `clients` clients place `orders` orders.
 * Prints where the order service's time went per hop, and checks the oversell invariant.
 */
export async function benchOrderPlace(
  options: OrderPlaceBenchOptions,
): Promise<BenchResult & { hops: string[] }> {
  const platform = await startPlatform({
    bus: 'kafka',
    wrapUpstreams: timedUpstreams,
    wrapStore: timedStore,
    // A saturated machine should show up as latency in the figures, not as 503s from timeouts.
    upstreamTimeoutMs: 10_000,
  });
  try {
    const products: string[] = [];
    for (let i = 0; i < options.skus; i++) {
      products.push(
        await createProduct(platform, { name: `Bench ${i}`, price: 10 + i / 100, quantity: options.stock }),
      );
    }
    catalogFromMemory = false;
    for (let i = 0; i < products.length; i += 100) {
      for (const found of await platform.upstreams.catalog.findProducts(products.slice(i, i + 100))) {
        catalogCopy.set(found.product_id, found);
      }
    }
    catalogFromMemory = options.catalog === 'memory';
    const tokens = await Promise.all(
      Array.from({ length: options.clients }, (_, i) =>
        platform.issuer.token({ subject: `bench-${i}`, roles: ['user'], expiresInSec: 3600 }),
      ),
    );
    const workerData = {
      url: `${platform.order.url}/api/v1/orders`,
      tokens,
      products,
      address: SEED_ADDRESS,
      clients: options.clients,
    };
    // JIT, connection pools, the service token, PostgreSQL's and FerretDB's caches.
    await load({ ...workerData, count: Math.min(500, options.orders) });
    Object.values(hops).forEach((hop) => hop.reset());

    const cpuBefore = process.cpuUsage();
    const run = await load({ ...workerData, count: options.orders });
    const cpu = process.cpuUsage(cpuBefore);
    const failed = Object.entries(run.statuses).filter(([status]) => status !== '201');
    if (failed.length > 0)
      throw new Error(
        `order placing: answers other than 201: ${JSON.stringify(failed)}; first: ${run.firstFailure}`,
      );
    const units = await checkInvariant(platform, products, options.stock);
    const sorted = Float64Array.from(run.latencies).sort();
    return {
      scenario: `order place, catalog ${options.catalog === 'service' ? 'over HTTP' : 'copy in memory'}`,
      events: sorted.length,
      seconds: run.seconds,
      note:
        `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms; ` +
        `${options.clients} clients; invariant held (${units} units ordered = reserved); Node CPU ` +
        `(4 services + clients) ${((cpu.user + cpu.system) / 1000 / sorted.length).toFixed(2)} ms per order`,
      hops: Object.values(hops).map((hop) => hop.summary()),
    };
  } finally {
    await platform.stop();
  }
}
