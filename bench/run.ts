// `make bench`: starts its own PostgreSQL and Kafka (the test harness's global setup), runs each
// benchmark once, and prints one table of events/s. Figures, not assertions: nothing here fails
// on a slow machine.
import { readdirSync, readFileSync } from 'node:fs';
import { createDatabase, createKafkaBus, type Knex } from '@cartwheel/kit';
import { createDatabase as createTestDatabase, testServers } from '@cartwheel/testing';
import { mochaGlobalSetup, mochaGlobalTeardown } from '../services/testing/src/mocha-global.js';
import { readBinaries } from '../services/testing/src/servers.js';
import { benchEmbeddedBus } from './embedded-bus.bench.js';
import { benchGatewayProxy, gatewayCost, printProxyTable } from './gateway-proxy.bench.js';
import { benchInventoryReserve } from './inventory-reserve.bench.js';
import { benchKafkaPublish } from './kafka-publish.bench.js';
import { benchOrderPlace, catalogCost } from './order-place.bench.js';
import { benchOutboxRelay, type BenchResult } from './outbox-relay.bench.js';
import { benchPlatformLoad } from './platform-load.bench.js';
import { printPlatformReport, writePlatformReport } from './platform-load.report.js';
import { formatTable, loadAverage, machine } from './support/stats.js';

const OUTBOX_EVENTS = 20_000;
const EMBEDDED_EVENTS = 100_000;
/** Reservations per inventory scenario, after 1,000 to warm up. */
const RESERVATIONS = 10_000;
/**
 * Orders per order-placing scenario, after 500 to warm up. Prices over HTTP run at ~10 orders/s on
 * the shared 2 cores (the catalog on FerretDB): 1,000 there keeps the whole `make bench` under 10 minutes.
 */
const ORDERS = { service: 1_000, memory: 3_000 };
/** Relay runs per storage; the median is shown, so one slow run (JIT warm-up, a GC) does not decide. */
const RUNS = 3;

async function medianOf(runs: number, bench: () => Promise<BenchResult>): Promise<BenchResult> {
  const results: BenchResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await bench());
  const rates = results.map((r) => Math.round(r.events / r.seconds));
  const median = [...results].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs / 2)];
  return { ...median, note: `runs ${rates.join(', ')} events/s; ${median.note ?? ''}` };
}

// Read from the hoisted node_modules: some packages (PGlite) do not export their package.json.
const packageVersion = (name: string): string =>
  (
    JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function kafkaVersion(): string {
  const jar = readdirSync(readBinaries().kafkaLib).find((name) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(name));
  return jar?.replace(/^kafka_[\d.]+-/, '').replace(/\.jar$/, '') ?? 'unknown';
}

async function serverVersion(db: Knex): Promise<string> {
  const result = (await db.raw('show server_version')) as { rows: Array<{ server_version: string }> };
  return result.rows[0].server_version;
}

function printTable(results: Array<BenchResult & { rssMb: number }>): void {
  const rows = [
    ['scenario', 'events', 'seconds', 'events/s', 'RSS after MB', 'notes'],
    ...results.map((r) => [
      r.scenario,
      String(r.events),
      r.seconds.toFixed(2),
      String(Math.round(r.events / r.seconds)),
      String(r.rssMb),
      r.note ?? '',
    ]),
  ];
  console.log(formatTable(rows, [1, 2, 3, 4]));
}

/** `BENCH_SECTIONS=platform,gateway` runs only those sections (default: every one, in this order). */
const SECTIONS = ['relay', 'inventory', 'order', 'gateway', 'platform'] as const;
const wanted = new Set(
  (process.env.BENCH_SECTIONS ?? SECTIONS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
);
for (const name of wanted) {
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`BENCH_SECTIONS: unknown section "${name}" (known: ${SECTIONS.join(', ')})`);
}
const runs = (section: (typeof SECTIONS)[number]) => wanted.has(section);

async function main(): Promise<void> {
  const started = Date.now();
  await mochaGlobalSetup();
  const results: Array<BenchResult & { rssMb: number }> = [];
  const record = (result: BenchResult) => {
    results.push({ ...result, rssMb: rssMb() });
    console.log(`  done: ${result.scenario} (${Math.round(result.events / result.seconds)} events/s)`);
  };
  const rssBeforePglite = rssMb();
  const server = createDatabase({ url: await createTestDatabase('bench') });
  const pglite = createDatabase({});
  const bus = createKafkaBus({ brokers: testServers().kafkaBrokers, clientId: 'bench' });
  try {
    console.log(`machine: ${machine()}; load average ${loadAverage()}`);
    console.log(
      `versions: Node ${process.versions.node}, PostgreSQL ${await serverVersion(server)}, ` +
        `PGlite ${packageVersion('@electric-sql/pglite')} (Postgres ${await serverVersion(pglite)}), ` +
        `Kafka ${kafkaVersion()}, kafkajs ${packageVersion('kafkajs')}, knex ${packageVersion('knex')}, ` +
        `autocannon ${packageVersion('autocannon')}`,
    );
    console.log(`running sections: ${SECTIONS.filter(runs).join(', ')}…`);
    // A section that throws (e.g. a saturated machine answering 503) is reported and skipped: the
    // other sections still print their figures.
    const failures: string[] = [];
    const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
        console.log(`  FAILED: ${what}: ${(error as Error).message}`);
        return undefined;
      }
    };
    if (runs('relay')) {
      await attempt('relay', async () => {
        record(await benchKafkaPublish(bus, OUTBOX_EVENTS));
        for (const [scenario, db] of [
          ['(a) outbox → Kafka, PostgreSQL server', server],
          ['(b) outbox → Kafka, PGlite', pglite],
        ] as const) {
          record(await medianOf(RUNS, () => benchOutboxRelay({ scenario, db, bus, events: OUTBOX_EVENTS })));
        }
        record(await benchEmbeddedBus(EMBEDDED_EVENTS));
      });
    }
    if (runs('inventory')) {
      for (const [temperature, skus] of [
        ['hot', 10],
        ['cold', 10_000],
      ] as const) {
        await attempt(`inventory reserve, ${temperature}`, async () => {
          const db = createDatabase({ url: await createTestDatabase(`bench_inventory_${temperature}`) });
          try {
            record(
              await benchInventoryReserve({
                scenario: `inventory reserve, ${temperature} (${skus} SKUs)`,
                db,
                bus,
                skus,
                reservations: RESERVATIONS,
                clients: 32,
              }),
            );
          } finally {
            await db.destroy();
          }
        });
      }
    }
    // Orders through user, product, inventory and order; the hops are printed after the table.
    const orderHops: string[] = [];
    const orderRows: BenchResult[] = [];
    if (runs('order')) {
      for (const catalog of ['service', 'memory'] as const) {
        await attempt(`order place, catalog ${catalog}`, async () => {
          const { hops, ...result } = await benchOrderPlace({
            skus: 100,
            stock: 1_000_000,
            orders: ORDERS[catalog],
            clients: 32,
            catalog,
          });
          record(result);
          orderRows.push(result);
          orderHops.push(`${result.scenario}:`, ...hops.map((hop) => `  ${hop}`));
        });
      }
    }
    const proxyRows =
      (runs('gateway')
        ? await attempt('gateway proxy', () =>
            benchGatewayProxy({ connections: 64, roundMs: 5_000, rounds: 3, category: 'Books' }),
          )
        : undefined) ?? [];
    if (proxyRows.length > 0) console.log('  done: gateway proxy');
    const platform = runs('platform') ? await attempt('platform load', () => benchPlatformLoad()) : undefined;
    if (platform) console.log('  done: platform load');
    console.log('');
    if (results.length > 0) {
      printTable(results);
      console.log(
        `\nRelay batch size 500; outbox rows: median of ${RUNS} runs. Peak RSS of this Node process: ` +
          `${peakRssMb()} MB (the servers run as separate processes; RSS was ${rssBeforePglite} MB before ` +
          `the in-memory PGlite opened).`,
      );
    }
    if (orderHops.length > 0)
      console.log(
        `\nWhere an order's time went (as the order service saw each hop):\n${orderHops.join('\n')}`,
      );
    if (proxyRows.length > 0) {
      console.log('');
      printProxyTable(proxyRows);
    }
    if (platform) {
      platform.ratios = {
        ...(proxyRows.length === 2
          ? { 'gateway vs product service direct': gatewayCost(proxyRows[0], proxyRows[1]) }
          : {}),
        ...(orderRows.length === 2
          ? { 'order placing, catalog hop': catalogCost(orderRows[0], orderRows[1]) }
          : {}),
      };
      console.log('');
      printPlatformReport(platform);
      console.log(`\nWritten: ${writePlatformReport(platform).join(', ')}`);
    }
    if (failures.length > 0) console.log(`\nSections that failed (no figures):\n  ${failures.join('\n  ')}`);
    console.log(`\nTotal ${Math.round((Date.now() - started) / 1000)} s; load average now ${loadAverage()}.`);
  } finally {
    await bus.close();
    await Promise.all([server.destroy(), pglite.destroy()]);
    await mochaGlobalTeardown();
  }
}

await main();
