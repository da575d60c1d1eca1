// The platform-load report: a table on stdout, bench/results/platform-load.json and the SVG plot.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PlatformLoadReport } from './platform-load.bench.js';
import { renderPlot } from './support/plot.js';
import { formatTable, statusText } from './support/stats.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(1));

/** Prints throughput, latency per operation, resources and invariants. */
export function printPlatformReport(report: PlatformLoadReport): void {
  const { options: o, totals } = report;
  console.log(
    `Platform load: ${o.connections} connections for ${o.durationSec} s after ${o.warmupSec} s warm-up, ` +
      `${o.products} products (${o.scarce} with ${o.scarceStock} units), ${o.shoppers} shoppers; ` +
      `load average ${report.loadAverage.before} before, ${report.loadAverage.after} after`,
  );
  for (const line of report.setup) console.log(`  ${line}`);
  console.log(
    `  ${totals.requests} answers in ${totals.seconds.toFixed(1)} s = ${totals.perSecond} req/s; statuses ${statusText(totals.statuses)}\n`,
  );
  console.log(
    formatTable(
      [
        ['operation', 'req/s', 'ok', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'statuses'],
        ...report.operations.map((op) => [
          op.op,
          op.perSecond.toFixed(1),
          String(op.count),
          ms(op.p50),
          ms(op.p95),
          ms(op.p99),
          ms(op.max),
          statusText(op.statuses),
        ]),
      ],
      [1, 2, 3, 4, 5, 6],
    ),
  );
  for (const [what, body] of Object.entries(report.firstErrors)) console.log(`  first ${what}: ${body}`);
  console.log('');
  console.log(
    formatTable(
      [
        ['process', 'CPU mean %', 'CPU max %', 'RSS max MB'],
        ...report.resources.map((r) => [
          r.name,
          r.cpuMeanPercent.toFixed(1),
          r.cpuMaxPercent.toFixed(1),
          String(r.rssMaxMb),
        ]),
      ],
      [1, 2, 3],
    ),
  );
  const { stock, events, settledAfterMs } = report.invariants;
  const t = stock.totals;
  console.log(
    `\nInvariants (read ${Math.round(settledAfterMs / 1000)} s after the load stopped):\n` +
      `  stock ${stock.held ? 'HELD' : 'BROKEN'}: no product below zero; available ${t.available} + reserved ${t.reserved} + ` +
      `committed ${t.committed} = ${t.available + t.reserved + t.committed} (initial ${t.initial}); reserved + committed = ` +
      `${t.reserved + t.committed}, units in live orders ${t.ordered}; ${stock.soldOut} products sold out` +
      stock.broken
        .slice(0, 5)
        .map((b) => `\n    ${b.product_id}: ${b.rule} (${JSON.stringify(b)})`)
        .join(''),
  );
  console.log(
    `  events ${events.held ? 'HELD' : 'BROKEN'}: ` +
      events.topics
        .map(
          (topic) =>
            `${topic.topic} ${topic.inKafka} in Kafka` +
            (topic.outbox
              ? ` (${topic.outbox.published}/${topic.outbox.rows} ${topic.outbox.service} outbox rows published` +
                `${topic.duplicates ? `, ${topic.duplicates} of them twice` : ''})`
              : ''),
        )
        .join('; ') +
      `\n    consumed per group: ` +
      events.groups.map((g) => `${g.group} ← ${g.topic} ${g.consumed}/${g.inKafka}`).join(', ') +
      `\n    inventory applied ${events.inventoryApplied} events once each (expected ${events.inventoryExpected}); ` +
      `DLQ: ${Object.keys(events.deadLettered).length === 0 ? 'empty' : JSON.stringify(events.deadLettered)}` +
      events.problems.map((p) => `\n    problem: ${p}`).join(''),
  );
  if (report.ratios && Object.keys(report.ratios).length > 0) {
    console.log('\nSide-by-side ratios from the same run:');
    for (const [name, ratio] of Object.entries(report.ratios)) console.log(`  ${name}: ${ratio}`);
  }
}

/** Writes `platform-load.json` and `platform-load.svg` under bench/results/; returns their paths. */
export function writePlatformReport(report: PlatformLoadReport, dir = RESULTS_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${dir}platform-load.json`;
  const svg = `${dir}platform-load.svg`;
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(svg, renderPlot(report));
  return [json, svg];
}
