// Inventory reservations through the whole service: HTTP, token check, one PostgreSQL transaction
// per reservation (stock rows locked in product order, stock + order + lines written in one
// statement, the events enqueued in the outbox), with the outbox relay publishing the
// stock.updated events to Kafka meanwhile. The service runs on this thread, the clients on a
// worker thread (as separate pods would), PostgreSQL and Kafka in their own processes.
import { Worker } from 'node:worker_threads';
import { createLogger, createTokenVerifier, type EventBus, type Knex } from '@cartwheel/kit';
import { startInventory } from '@cartwheel/inventory';
import { createTestIssuer, uniqueName } from '@cartwheel/testing';
import type { BenchResult } from './outbox-relay.bench.js';
import { percentile } from './support/stats.js';

export interface InventoryReserveBenchOptions {
  scenario: string;
  /** A fresh PostgreSQL database (a pool of several connections). */
  db: Knex;
  bus: EventBus;
  /** Distinct products the reservations spread over, uniformly at random. */
  skus: number;
  reservations: number;
  /** Concurrent clients, each sending its next reservation when the last one answered. */
  clients: number;
}

// Plain JavaScript for an eval worker: `clients` keep-alive connections, each posting its next
// single-item reservation (a new order id, a random product) as soon as the last answer was read.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const http = require('node:http');
const { url, token, products, clients, count } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const latencies = [];
const statuses = {};
const once = () => new Promise((resolve) => {
  const body = JSON.stringify({
    order_id: randomUUID(),
    items: [{ product_id: products[Math.floor(Math.random() * products.length)], quantity: 1 }],
  });
  const started = performance.now();
  const req = http.request(target, {
    method: 'POST',
    agent,
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    res.resume();
    res.on('end', () => {
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      if (res.statusCode === 201) latencies.push(performance.now() - started);
      resolve();
    });
  });
  req.on('error', (error) => { statuses[error.code] = (statuses[error.code] || 0) + 1; resolve(); });
  req.end(body);
});
let next = 0;
const loop = async () => { while (next++ < count) await once(); };
const began = performance.now();
Promise.all(Array.from({ length: clients }, loop)).then(() => {
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies), statuses, seconds });
});
`;

interface LoadRun {
  latencies: Float64Array;
  statuses: Record<string, number>;
  seconds: number;
}

function load(workerData: {
  url: string;
  token: string;
  products: string[];
  clients: number;
  count: number;
}) {
  return new Promise<LoadRun>((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData });
    worker.once('message', (run: LoadRun) => {
      void worker.terminate();
      resolve(run);
    });
    worker.once('error', reject);
  });
}

/** The value below which `fraction` of the sorted samples lie. */
/**
 * Starts the inventory service on `db`, gives `skus` products more stock than the run can take,
 * then has `clients` concurrent clients reserve 1 unit of a random product each, `reservations`
 * in all, over HTTP with a service token. Every reservation must answer 201.
 */
export async function benchInventoryReserve(options: InventoryReserveBenchOptions): Promise<BenchResult> {
  const { db, bus, skus, clients } = options;
  const issuer = await createTestIssuer();
  const inventory = await startInventory({
    db,
    bus,
    verifier: createTokenVerifier({
      issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
    }),
    logger: createLogger({ service: 'inventory-bench', level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    reservationTtlSec: 900,
    sweepIntervalMs: 3_600_000,
    topics: {
      products: uniqueName('products'),
      orders: uniqueName('orders'),
      inventory: uniqueName('inventory'),
    },
    groupId: uniqueName('inventory-bench'),
  });
  try {
    const products = Array.from({ length: skus }, (_, i) => `bench-${i}`);
    for (let i = 0; i < products.length; i += 1000) {
      await db('inventory').insert(
        products
          .slice(i, i + 1000)
          .map((product_id) => ({ product_id, available_quantity: 100_000_000, reorder_threshold: 10 })),
      );
    }
    const token = await issuer.token({ subject: 'order-service', roles: ['service'], expiresInSec: 3600 });
    const url = `${inventory.url}/api/v1/inventory/reserve`;
    // JIT, connection pool, PostgreSQL's caches.
    await load({ url, token, products, clients, count: Math.min(1000, options.reservations) });

    const cpuBefore = process.cpuUsage();
    const run = await load({ url, token, products, clients, count: options.reservations });
    const cpu = process.cpuUsage(cpuBefore);
    const failed = Object.entries(run.statuses).filter(([status]) => status !== '201');
    if (failed.length > 0)
      throw new Error(`${options.scenario}: answers other than 201: ${JSON.stringify(failed)}`);
    const sorted = Float64Array.from(run.latencies).sort();
    return {
      scenario: options.scenario,
      events: sorted.length,
      seconds: run.seconds,
      note:
        `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms; ` +
        `${clients} clients, ${skus} SKUs; Node CPU (service + clients) ` +
        `${((cpu.user + cpu.system) / 1000 / sorted.length).toFixed(2)} ms per reservation`,
    };
  } finally {
    await inventory.stop();
  }
}
