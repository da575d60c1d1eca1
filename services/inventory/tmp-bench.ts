import { createDatabase, createKafkaBus } from '@cartwheel/kit';
import { createDatabase as createTestDatabase, testServers } from '@cartwheel/testing';
import { benchInventoryReserve } from '../../bench/inventory-reserve.bench.js';
const bus = createKafkaBus({ brokers: testServers().kafkaBrokers, clientId: 'bench' });
const pool = Number(process.env.POOL ?? 10);
const scenarios = (process.env.SCEN ?? 'hot,cold').split(',');
for (const [scenario, skus] of [
  ['hot', 10],
  ['cold', 10_000],
] as const) {
  if (!scenarios.includes(scenario)) continue;
  const db = createDatabase({ url: await createTestDatabase('bench'), poolMax: pool });
  const r = await benchInventoryReserve({
    scenario,
    db,
    bus,
    skus,
    reservations: Number(process.env.N ?? 10000),
    clients: 32,
  });
  console.log(`pool ${pool}`, r.scenario, Math.round(r.events / r.seconds), '/s', r.note);
  await db.destroy();
}
await bus.close();
