// `make faults`: the fault scripts. Starts its own PostgreSQL, Redis, Kafka and FerretDB (never
// the shared ones: it stops them), then runs each scenario on a fresh platform of separate
// processes and prints PASS/FAIL with the evidence. `FAULTS=kafka-outage,redis-outage` picks some.
// Exit code 1 when any scenario fails.
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startBenchServers } from '../support/servers.js';
import { loadAverage, machine, statusText } from '../support/stats.js';
import { runScenario, type FaultResult, type FaultScenario } from './harness.js';
import { kafkaOutage } from './kafka-outage.fault.js';
import { killOrder } from './kill-order.fault.js';
import { postgresOutage } from './postgres-outage.fault.js';
import { redisOutage } from './redis-outage.fault.js';
import { slowCatalog } from './slow-catalog.fault.js';

const SCENARIOS: FaultScenario[] = [killOrder, kafkaOutage, postgresOutage, redisOutage, slowCatalog];
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

function chosen(): FaultScenario[] {
  const names = (process.env.FAULTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return SCENARIOS;
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.id === name));
  if (unknown.length > 0)
    throw new Error(
      `FAULTS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.id).join(', ')})`,
    );
  return SCENARIOS.filter((s) => names.includes(s.id));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function print(result: FaultResult): void {
  const r = result.run;
  console.log(
    `\n== ${result.id}: ${result.title} — ${result.pass ? 'PASS' : 'FAIL'} ` +
      `(load average ${result.loadAverage.before} → ${result.loadAverage.after})`,
  );
  console.log(
    `  timeline: fault at ${seconds(r.injectAt)}, taken back at ${seconds(r.restoreAt)}, back at ` +
      `${seconds(r.restoredAt)} (taking it back took ${seconds(r.restoredAt - r.restoreAt)}); load ran ${r.seconds.toFixed(1)} s`,
  );
  console.log(
    `  clients saw: before ${statusText(r.byPhase.before)} | during ${statusText(r.byPhase.during)} | after ${statusText(r.byPhase.after)}`,
  );
  for (const [what, body] of Object.entries(r.firstErrors)) console.log(`  first ${what}: ${body}`);
  for (const check of result.checks) console.log(`  [${check.ok ? 'ok' : 'FAIL'}] ${check.text}`);
  if (!result.pass) {
    console.log(`  error lines in the services' logs (kept in ${result.logs.dir}):`);
    for (const line of result.logs.errors) console.log(`    ${line}`);
  }
}

async function main(): Promise<number> {
  const scenarios = chosen();
  const started = Date.now();
  console.log(`machine: ${machine()}; load average ${loadAverage()}`);
  console.log(`fault scenarios: ${scenarios.map((s) => s.id).join(', ')}; starting own servers…`);
  const servers = await startBenchServers();
  const results: FaultResult[] = [];
  try {
    for (const scenario of scenarios) {
      console.log(`\nrunning ${scenario.id}…`);
      let result: FaultResult;
      try {
        result = await runScenario(servers, scenario);
      } catch (error) {
        console.log(
          `\n== ${scenario.id}: ${scenario.title} — FAIL (the scenario could not run)\n  ${String(error)}`,
        );
        // Servers the scenario took away must be back for the next one.
        await Promise.allSettled([servers.kafka.start(), servers.postgres.start(), servers.redis.start()]);
        continue;
      }
      results.push(result);
      print(result);
    }
  } finally {
    await servers.close();
  }
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    `${RESULTS}faults.json`,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), results }, null, 2)}\n`,
  );
  const failed = scenarios.length - results.filter((r) => r.pass).length;
  console.log(
    `\nSummary (${Math.round((Date.now() - started) / 1000)} s, load average now ${loadAverage()}):\n` +
      scenarios
        .map((s) => `  ${results.find((r) => r.id === s.id)?.pass ? 'PASS' : 'FAIL'}  ${s.id}: ${s.title}`)
        .join('\n') +
      `\nWritten: ${RESULTS}faults.json`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
