/**
 * Mocha global fixtures: start every real server once per test run, in parallel, and stop them
 * at the end. Loaded through `require` in .mocharc.json.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerKafka, runTeardowns } from './index.js';
import {
  readBinaries,
  startFerretDb,
  startKafka,
  startPostgres,
  startRedis,
  type RunningServer,
} from './servers.js';

const stops: Array<() => Promise<void>> = [];
let workDir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  const wanted = ['TEST_POSTGRES_URL', 'TEST_REDIS_URL', 'TEST_KAFKA_BROKERS', 'TEST_MONGO_URL'];
  if (wanted.every((name) => process.env[name])) return;
  const bin = readBinaries();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-test-'));
  const started = Date.now();
  const track = <T extends { stop(): Promise<void> }>(server: T): T => {
    stops.push(() => server.stop());
    return server;
  };
  try {
    const [postgres, redis, mongo, kafka] = await Promise.all([
      process.env.TEST_POSTGRES_URL ? undefined : startPostgres(bin, workDir).then(track),
      process.env.TEST_REDIS_URL ? undefined : startRedis(bin, workDir).then(track),
      process.env.TEST_MONGO_URL ? undefined : startFerretDb(bin, workDir).then(track),
      process.env.TEST_KAFKA_BROKERS ? undefined : startKafka(bin, workDir).then(track),
    ]);
    const set = (name: string, server: RunningServer | undefined) => {
      if (server) process.env[name] = server.url;
    };
    set('TEST_POSTGRES_URL', postgres);
    set('TEST_REDIS_URL', redis);
    set('TEST_MONGO_URL', mongo);
    if (kafka) process.env.TEST_KAFKA_BROKERS = kafka.brokers;
    registerKafka(kafka);
    console.log(
      `[test servers] ready in ${Date.now() - started} ms: PostgreSQL ${process.env.TEST_POSTGRES_URL}, ` +
        `Redis ${process.env.TEST_REDIS_URL}, Kafka ${process.env.TEST_KAFKA_BROKERS}, ` +
        `FerretDB ${process.env.TEST_MONGO_URL}`,
    );
  } catch (error) {
    for (const log of ['postgres.log', 'kafka.log', 'ferretdb.log', 'redis.log']) {
      try {
        console.error(`--- ${log}\n${readFileSync(path.join(workDir, log), 'utf8').slice(-4000)}`);
      } catch {
        // that server had not started yet
      }
    }
    await mochaGlobalTeardown();
    throw error;
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await runTeardowns();
  await Promise.allSettled(stops.splice(0).map((stop) => stop()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
