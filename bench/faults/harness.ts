// One fault scenario, end to end: a fresh platform (every service its own process) on the fault
// run's own servers, a shop seeded through the gateway, a steady stream of orders through the
// gateway, the fault taken away and brought back on a timeline, then what the clients saw, how
// long recovery took and whether anything acknowledged was lost — PASS or FAIL with the evidence.
import { startCluster, type Cluster, type ClusterOptions } from '../support/cluster.js';
import { checkEvents, explainDeadLetters, topicBaseline, type EventCheck } from '../support/event-check.js';
import {
  checkAcknowledged,
  checkStock,
  inspect,
  settled,
  type AcknowledgedCheck,
  type Inspector,
  type StockCheck,
} from '../support/invariants.js';
import { startLoad, type LoadRun, type Operation } from '../support/load.js';
import { errorLines } from '../support/logs.js';
import { seedShop } from '../support/seed.js';
import type { BenchServers } from '../support/servers.js';
import { ADMIN, until, type SeededProduct, type Shopper } from '../support/shop.js';
import { loadAverage, sleep } from '../support/stats.js';

/** One piece of evidence; a scenario passes only when every check is ok. */
export interface Check {
  ok: boolean;
  text: string;
}

export interface FaultContext {
  servers: BenchServers;
  cluster: Cluster;
  inspector: Inspector;
  products: SeededProduct[];
  shoppers: Shopper[];
  /** Ids of orders a scenario placed itself and got a 201 for: checked like the stream's. */
  acknowledged: string[];
}

export interface FaultScenario {
  id: string;
  title: string;
  /** How long the fault lasts once in place, before it is taken back. */
  holdSec: number;
  /** Added to every service's environment. */
  env?: Record<string, string>;
  /** Before the platform starts (e.g. a proxy in front of a service); may add per-service variables. */
  prepare?(): Promise<{
    serviceEnv?: ClusterOptions['serviceEnv'];
    started?(cluster: Cluster): void;
    close?(): Promise<void>;
  }>;
  inject(context: FaultContext): Promise<void>;
  restore(context: FaultContext): Promise<void>;
  /** Probes run while the fault is in place (their checks join the verdict). */
  during?(context: FaultContext): Promise<Check[]>;
  /** Probes run once the fault is taken back. */
  after?(context: FaultContext): Promise<Check[]>;
  /** Evidence from the run as a whole. */
  verify?(run: FaultRun): Check[];
  /** Longest wait for the invariants after the load (orphaned reservations wait for their TTL). */
  settleSec?: number;
}

/** Times in ms since the load started. */
export interface FaultRun {
  load: LoadRun;
  injectAt: number;
  restoreAt: number;
  restoredAt: number;
  byPhase: { before: Record<string, number>; during: Record<string, number>; after: Record<string, number> };
  /** First 201 after the fault was taken back, in ms after `restoredAt`. */
  firstSuccessAfterMs?: number;
  /** Last failed answer after the fault was taken back, in ms after `restoredAt`. */
  lastFailureAfterMs?: number;
  /** Until every order acknowledged before the fault was taken back was published and applied by inventory. */
  dataRecoveredAfterMs?: number;
}

export interface FaultResult {
  id: string;
  title: string;
  pass: boolean;
  checks: Check[];
  run: Omit<FaultRun, 'load'> & { firstErrors: Record<string, string>; seconds: number };
  invariants: { acknowledged: AcknowledgedCheck; stock: StockCheck; events: EventCheck };
  loadAverage: { before: string; after: string };
  /** The services' error lines, counted; when the scenario failed, where their logs were kept. */
  logs: { dir?: string; errors: string[] };
}

const BASELINE_SEC = 10;
const OBSERVE_SEC = 30;
/** The steady stream: orders of one unit of a random product, at most this many per second. */
const ORDER_RATE = 6;
const CONNECTIONS = 6;

function orderStream(products: SeededProduct[], shoppers: Shopper[]): Operation[] {
  const any = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  return [
    {
      name: 'place order',
      weight: 1,
      request: () => ({
        method: 'POST',
        path: '/api/v1/orders',
        headers: { authorization: `Bearer ${any(shoppers).token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ product_id: any(products).id, quantity: 1 }] }),
      }),
    },
  ];
}

/** A probe that throws is a failed check, not a crashed scenario. */
const probe = (when: string, checks: Promise<Check[]> | undefined): Promise<Check[]> =>
  (checks ?? Promise.resolve([])).catch((error: unknown) => [
    { ok: false, text: `probe ${when} the fault failed: ${(error as Error).message}` },
  ]);

const failed = (status: number | string) => status !== 201;

function phases(run: LoadRun, injectAt: number, restoredAt: number): FaultRun['byPhase'] {
  const byPhase: FaultRun['byPhase'] = { before: {}, during: {}, after: {} };
  for (const sample of run.samples) {
    const phase = sample.at < injectAt ? 'before' : sample.at < restoredAt ? 'during' : 'after';
    byPhase[phase][sample.status] = (byPhase[phase][sample.status] ?? 0) + 1;
  }
  return byPhase;
}

/** Runs one scenario against the given servers; never throws for a failed check (it reports FAIL). */
export async function runScenario(servers: BenchServers, scenario: FaultScenario): Promise<FaultResult> {
  const prepared = (await scenario.prepare?.()) ?? {};
  const baseline = await topicBaseline([servers.kafka.url]);
  const cluster = await startCluster({
    servers: {
      postgresUrl: servers.postgres.url,
      redisUrl: servers.redis.url,
      kafkaBrokers: [servers.kafka.url],
      mongoUrl: servers.mongoUrl,
    },
    admin: ADMIN,
    env: { RATE_LIMIT_PER_MINUTE: '1000000000', RATE_LIMIT_AUTH_PER_MINUTE: '1000000000', ...scenario.env },
    serviceEnv: prepared.serviceEnv,
  });
  prepared.started?.(cluster);
  const inspector = await inspect(cluster, [servers.kafka.url]);
  let passed = false;
  try {
    const { products, shoppers } = await seedShop(cluster.gateway, inspector, {
      products: 20,
      stock: 100_000,
      shoppers: 8,
    });
    const context: FaultContext = { servers, cluster, inspector, products, shoppers, acknowledged: [] };
    const before = loadAverage();
    const load = startLoad({
      url: cluster.gateway,
      connections: CONNECTIONS,
      rate: ORDER_RATE,
      durationSec: 3_600,
      operations: orderStream(products, shoppers),
    });
    const since = () => Date.now() - load.startedAt;
    await sleep(BASELINE_SEC * 1000);
    const injectAt = since();
    await scenario.inject(context);
    const duringChecks = probe('during', scenario.during?.(context));
    await sleep(scenario.holdSec * 1000);
    const restoreAt = since();
    await scenario.restore(context);
    const restoredAt = since();
    const acknowledgedBefore = [
      ...load.created.filter((c) => c.at < restoreAt).map((c) => c.id),
      ...context.acknowledged,
    ];
    const dataRecovered = until(
      'every order acknowledged before the restore is published and applied',
      async () => (await checkAcknowledged(inspector, acknowledgedBefore)).held,
      OBSERVE_SEC * 1000 + 120_000,
    ).then(
      () => since() - restoredAt,
      () => undefined,
    );
    const afterChecks = probe('after', scenario.after?.(context));
    await sleep(OBSERVE_SEC * 1000);
    load.stop();
    const run = await load.done;
    const after = loadAverage();

    const faultRun: FaultRun = {
      load: run,
      injectAt,
      restoreAt,
      restoredAt,
      byPhase: phases(run, injectAt, restoredAt),
      firstSuccessAfterMs: run.samples.find((s) => s.at >= restoredAt && !failed(s.status))?.at,
      lastFailureAfterMs: run.samples.filter((s) => s.at >= restoredAt && failed(s.status)).at(-1)?.at,
      dataRecoveredAfterMs: await dataRecovered,
    };
    if (faultRun.firstSuccessAfterMs !== undefined) faultRun.firstSuccessAfterMs -= restoredAt;
    if (faultRun.lastFailureAfterMs !== undefined) faultRun.lastFailureAfterMs -= restoredAt;

    const ids = [...run.created.map((c) => c.id), ...context.acknowledged];
    // Events first: an orphaned reservation still waiting for its TTL must not be read as a broken
    // stock invariant, so stock and orders get the whole wait too, even once an event is parked.
    const settleMs = (scenario.settleSec ?? 60) * 1000;
    const events = await settled('events', () => checkEvents(inspector, products.length, baseline), settleMs);
    const acknowledged = await settled(
      'acknowledged orders',
      () => checkAcknowledged(inspector, ids),
      settleMs,
    );
    const stock = await settled('stock', () => checkStock(inspector, products), settleMs);
    await explainDeadLetters([servers.kafka.url], events.result);
    const endClean = run.seconds * 1000 - restoredAt - (faultRun.lastFailureAfterMs ?? 0);
    const checks: Check[] = [
      {
        ok: acknowledged.result.held,
        text:
          `${acknowledged.result.acknowledged} orders got a 201: missing ${acknowledged.result.missing.length}, ` +
          `order.placed unpublished ${acknowledged.result.unpublished.length}, not applied by inventory ` +
          `${acknowledged.result.unconfirmed.length}; ${acknowledged.result.unacknowledged} more orders exist that no client saw a 201 for (in flight when the stream stopped, or their answer was lost)`,
      },
      {
        ok: stock.result.held,
        text:
          `stock: ${stock.result.held ? 'no oversell, available + reserved + committed = initial and reserved = units ordered for every product' : stock.result.broken.map((b) => `${b.product_id} ${b.rule}`).join('; ')}` +
          ` (settled ${Math.round(stock.waitedMs / 1000)} s after the load)`,
      },
      {
        ok: events.result.held,
        text: events.result.held
          ? `events: every outbox row published (${events.result.topics.map((t) => `${t.topic} ${t.inKafka}${t.duplicates ? ` incl. ${t.duplicates} duplicates` : ''}`).join(', ')}), every group at the end of its topics, DLQ empty, inventory applied ${events.result.inventoryApplied} events once each`
          : `events: ${events.result.problems.join('; ')}`,
      },
      {
        ok: faultRun.firstSuccessAfterMs !== undefined && endClean >= 10_000,
        text:
          `recovered without manual action: first 201 ${fmt(faultRun.firstSuccessAfterMs)} after the fault was taken back, ` +
          `last failed answer ${fmt(faultRun.lastFailureAfterMs)} after; the last ${Math.round(endClean / 1000)} s clean` +
          `; acknowledged orders published and applied ${fmt(faultRun.dataRecoveredAfterMs)} after`,
      },
      ...(await duringChecks),
      ...(await afterChecks),
      ...(scenario.verify?.(faultRun) ?? []),
    ];
    const pass = checks.every((c) => c.ok);
    passed = pass;
    const { load: _load, ...runFigures } = faultRun;
    return {
      id: scenario.id,
      title: scenario.title,
      pass,
      checks,
      run: { ...runFigures, firstErrors: run.firstErrors, seconds: run.seconds },
      invariants: { acknowledged: acknowledged.result, stock: stock.result, events: events.result },
      loadAverage: { before, after },
      logs: { dir: pass ? undefined : cluster.logDir, errors: errorLines(cluster.logDir) },
    };
  } finally {
    await inspector.close().catch(() => undefined);
    await cluster.stop({ keepLogs: !passed });
    await prepared.close?.();
  }
}

const fmt = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
