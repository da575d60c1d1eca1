// The whole platform under a shop's traffic: every service its own process in connected mode
// (PostgreSQL, Kafka, FerretDB, Redis), autocannon against the gateway with a realistic mix —
// browse/search 70 %, product detail 15 %, place order 10 %, order history 5 % — then the
// invariants read from the services' databases and Kafka. Figures, never assertions.
import { testServers } from '@cartwheel/testing';
import { startCluster } from './support/cluster.js';
import { checkEvents, explainDeadLetters, topicBaseline, type EventCheck } from './support/event-check.js';
import { checkStock, inspect, settled, type StockCheck } from './support/invariants.js';
import { runLoad, type LoadRun, type Operation } from './support/load.js';
import {
  sampleResources,
  serverProcesses,
  summariseResources,
  type ResourceSample,
  type ResourceSummary,
} from './support/resources.js';
import { seedShop } from './support/seed.js';
import { ADMIN, CATEGORIES, SEARCH_WORDS, type SeededProduct, type Shopper } from './support/shop.js';
import { countInto, loadAverage, machine, summarise, type LatencySummary } from './support/stats.js';

export interface PlatformLoadOptions {
  products: number;
  /** Units of most products: more than the run can sell. */
  stock: number;
  /** The first `scarce` products get `scarceStock` units and a third of the order lines: they sell out. */
  scarce: number;
  scarceStock: number;
  shoppers: number;
  connections: number;
  warmupSec: number;
  durationSec: number;
}

export const DEFAULT_PLATFORM_LOAD: PlatformLoadOptions = {
  products: 100,
  stock: 100_000,
  scarce: 5,
  scarceStock: 2,
  shoppers: 20,
  connections: 8,
  warmupSec: 5,
  durationSec: 30,
};

/** The mix: operation → share of requests, as the issue asks (browse/search 70 % together). */
export const MIX = { browse: 45, search: 25, detail: 15, 'place order': 10, 'order history': 5 } as const;

export interface OperationFigures extends LatencySummary {
  op: string;
  perSecond: number;
  statuses: Record<string, number>;
}

export interface PlatformLoadReport {
  at: string;
  machine: string;
  /** 1/5/15-minute load averages before and after the measured run (other engineers share the cores). */
  loadAverage: { before: string; after: string };
  options: PlatformLoadOptions;
  servicesFrom: 'source' | 'dist';
  setup: string[];
  totals: { requests: number; seconds: number; perSecond: number; statuses: Record<string, number> };
  /** The first error body of each operation and status, as the client got it. */
  firstErrors: Record<string, string>;
  operations: OperationFigures[];
  /** Answers per second per operation, over the measured run. */
  timeline: Array<{ second: number; total: number; byOp: Record<string, number>; errors: number }>;
  resources: ResourceSummary[];
  resourceSamples: ResourceSample[];
  invariants: { stock: StockCheck; events: EventCheck; settledAfterMs: number };
  /** Side-by-side ratios from the gateway-proxy and order-place benches of the same `make bench` run. */
  ratios?: Record<string, string>;
}

function mix(products: SeededProduct[], shoppers: Shopper[], scarce: number): Operation[] {
  const any = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  const shopper = () => ({ authorization: `Bearer ${any(shoppers).token}` });
  const scarceOnes = products.slice(0, scarce);
  const lineProduct = () =>
    scarceOnes.length > 0 && Math.random() < 1 / 3 ? any(scarceOnes) : any(products);
  const filters = [
    () => `category=${encodeURIComponent(any(CATEGORIES))}`,
    () => {
      const min = any([5, 50, 150]);
      return `min_price=${min}&max_price=${min + any([50, 150, 400])}&sort=price`;
    },
    () => `sort=-created_at&limit=20&offset=${any([0, 20, 40, 60, 80])}`,
    () => `in_stock=true&category=${encodeURIComponent(any(CATEGORIES))}&sort=name`,
    () => `tags=${any(SEARCH_WORDS)}`,
  ];
  return [
    {
      name: 'browse',
      weight: MIX.browse,
      request: () => ({ method: 'GET', path: `/api/v1/products?${any(filters)()}` }),
    },
    {
      name: 'search',
      weight: MIX.search,
      request: () => ({ method: 'GET', path: `/api/v1/products/search?q=${any(SEARCH_WORDS)}` }),
    },
    {
      name: 'detail',
      weight: MIX.detail,
      request: () => ({ method: 'GET', path: `/api/v1/products/${any(products).id}` }),
    },
    {
      name: 'place order',
      weight: MIX['place order'],
      request: () => {
        const first = lineProduct();
        let second = Math.random() < 0.5 ? lineProduct() : undefined;
        if (second === first) second = undefined;
        const items = [first, ...(second ? [second] : [])].map((p) => ({ product_id: p.id, quantity: 1 }));
        return {
          method: 'POST',
          path: '/api/v1/orders',
          headers: { ...shopper(), 'content-type': 'application/json' },
          // No shipping_address: the order service reads the shopper's default address from the user service.
          body: JSON.stringify({ items }),
        };
      },
    },
    {
      name: 'order history',
      weight: MIX['order history'],
      request: () => ({ method: 'GET', path: '/api/v1/orders?limit=20', headers: shopper() }),
    },
  ];
}

function figures(
  run: LoadRun,
): Pick<PlatformLoadReport, 'totals' | 'operations' | 'timeline' | 'firstErrors'> {
  const statuses: Record<string, number> = {};
  const byOp = new Map<string, { ms: number[]; statuses: Record<string, number> }>();
  // Whole seconds only: answers still in flight when the run ended count in the last one.
  const seconds = Math.max(1, Math.floor(run.seconds));
  const timeline = Array.from({ length: seconds }, (_, second) => ({
    second,
    total: 0,
    byOp: {} as Record<string, number>,
    errors: 0,
  }));
  for (const sample of run.samples) {
    countInto(statuses, sample.status);
    const entry = byOp.get(sample.op) ?? { ms: [], statuses: {} };
    byOp.set(sample.op, entry);
    countInto(entry.statuses, sample.status);
    const ok = typeof sample.status === 'number' && sample.status < 400;
    if (ok) entry.ms.push(sample.ms);
    const bucket = timeline[Math.min(seconds - 1, Math.floor(sample.at / 1000))];
    bucket.total++;
    countInto(bucket.byOp, sample.op);
    if (!ok && !(sample.op === 'place order' && sample.status === 409)) bucket.errors++;
  }
  const operations = [...byOp].map(([op, entry]) => ({
    op,
    ...summarise(entry.ms),
    perSecond: Math.round((Object.values(entry.statuses).reduce((a, b) => a + b, 0) / run.seconds) * 10) / 10,
    statuses: entry.statuses,
  }));
  const order = [...Object.keys(MIX), '(transport)'];
  operations.sort((a, b) => order.indexOf(a.op) - order.indexOf(b.op));
  const requests = run.samples.length;
  return {
    totals: {
      requests,
      seconds: run.seconds,
      perSecond: Math.round((requests / run.seconds) * 10) / 10,
      statuses,
    },
    operations,
    timeline,
    firstErrors: run.firstErrors,
  };
}

/**
 * Starts the platform as separate processes on the servers `testServers()` names, seeds it through
 * the gateway, runs the warm-up and the measured load, then reads the invariants.
 */
export async function benchPlatformLoad(options = DEFAULT_PLATFORM_LOAD): Promise<PlatformLoadReport> {
  const serversOf = testServers();
  const setupStarted = Date.now();
  const baseline = await topicBaseline(serversOf.kafkaBrokers);
  const cluster = await startCluster({
    servers: serversOf,
    admin: ADMIN,
    // The bench measures throughput, not the limiter: every client is one IP and a few users.
    env: {
      RATE_LIMIT_PER_MINUTE: '1000000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000000000',
      RATE_LIMIT_AI_PER_MINUTE: '1000000000',
    },
  });
  try {
    const inspector = await inspect(cluster, serversOf.kafkaBrokers);
    try {
      const started = Date.now();
      const { products, shoppers } = await seedShop(cluster.gateway, inspector, options);
      const setup = [
        `${cluster.from === 'dist' ? 'compiled dist/main.js' : 'src/main.ts through tsx'}: 7 processes started in ${Math.round((started - setupStarted) / 1000)} s`,
        ...cluster.restarts,
        `seeded ${products.length} products and ${shoppers.length} shoppers with addresses in ${Math.round((Date.now() - started) / 1000)} s`,
      ];
      const operations = mix(products, shoppers, options.scarce);
      const load = { url: cluster.gateway, connections: options.connections, operations };
      const servers = await serverProcesses(serversOf);
      await runLoad({ ...load, durationSec: options.warmupSec });
      const before = loadAverage();
      const sampler = sampleResources(async () => ({
        ...cluster.pids(),
        'load generator (bench)': process.pid,
        ...(await servers()),
      }));
      const run = await runLoad({ ...load, durationSec: options.durationSec });
      const resourceSamples = await sampler.stop();
      const after = loadAverage();
      const settledStarted = Date.now();
      const stock = await settled('the stock invariant holds', () => checkStock(inspector, products), 60_000);
      const events = await settled(
        'every event is consumed',
        () => checkEvents(inspector, products.length, baseline),
        60_000,
      );
      await explainDeadLetters(serversOf.kafkaBrokers, events.result);
      return {
        at: new Date().toISOString(),
        machine: machine(),
        loadAverage: { before, after },
        options,
        servicesFrom: cluster.from,
        setup,
        ...figures(run),
        resources: summariseResources(resourceSamples),
        resourceSamples,
        invariants: {
          stock: stock.result,
          events: events.result,
          settledAfterMs: Date.now() - settledStarted,
        },
      };
    } finally {
      await inspector.close();
    }
  } finally {
    await cluster.stop();
  }
}
