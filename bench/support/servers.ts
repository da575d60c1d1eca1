// The fault scripts' own servers: PostgreSQL, Redis, Kafka and FerretDB started here (never the
// ones other engineers' suites use, whatever TEST_* says), each one stoppable and startable again
// on the same port with the same data, so a script can take it away under load and bring it back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  portOpen,
  startProcess,
  waitFor,
  type Managed,
} from '../../services/testing/src/process.js';
import {
  readBinaries,
  startFerretDb,
  startKafka,
  startPostgres,
  type ServerBinaries,
} from '../../services/testing/src/servers.js';

/** A server a fault script can take away and bring back (same port, same data). */
export interface ControlledServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface BenchServers {
  postgres: ControlledServer;
  redis: ControlledServer;
  /** `url` is the broker list (`127.0.0.1:port`). */
  kafka: ControlledServer;
  mongoUrl: string;
  /** Logs of every server (postgres.log, kafka.log, …). */
  workDir: string;
  close(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;
const asPostgres = (command: string, args: string[]): [string, string[]] =>
  isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

/**
 * PostgreSQL as the harness starts it (initdb, same flags), stopped and started again with
 * `pg_ctl` on its data directory (`-m fast`: open connections are cut, as a crash or failover does).
 */
async function controlledPostgres(bin: ServerBinaries, workDir: string): Promise<ControlledServer> {
  const first = await startPostgres(bin, workDir);
  const dataDir = path.join(workDir, 'postgres');
  const port = new URL(first.url).port;
  const pgCtl = (args: string[]) => {
    const [cmd, argv] = asPostgres(path.join(bin.pgBin, 'pg_ctl'), ['-D', dataDir, ...args]);
    execFileSync(cmd, argv, { stdio: 'ignore' });
  };
  let up = true;
  return {
    url: first.url,
    async stop() {
      if (!up) return;
      pgCtl(['stop', '-m', 'fast', '-w']);
      up = false;
    },
    async start() {
      if (up) return;
      // The same flags as services/testing/src/servers.ts `startPostgres`.
      const options = `-p ${port} -h 127.0.0.1 -k ${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
      pgCtl(['start', '-w', '-t', '60', '-l', path.join(workDir, 'postgres-restarted.log'), '-o', options]);
      up = true;
    },
  };
}

/** Redis without persistence on a fixed port; `start` runs a new empty one (as a restarted cache would be). */
async function controlledRedis(redisBin: string, workDir: string): Promise<ControlledServer> {
  const port = await freePort();
  let proc: Managed | undefined;
  const start = async () => {
    if (proc) return;
    proc = startProcess(
      redisBin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir],
      path.join(workDir, 'redis.log'),
    );
    await waitFor('Redis', () => portOpen(port), 10_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      await proc?.stop();
      proc = undefined;
    },
  };
}

/**
 * Starts PostgreSQL, Redis, Kafka and FerretDB in a new temporary directory and points this
 * process's `TEST_*` variables at them, so `createDatabase()` and `testServers()` of
 * @cartwheel/testing use them.
 */
export async function startBenchServers(): Promise<BenchServers> {
  const bin = readBinaries();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-faults-'));
  const [postgres, redis, kafka, mongo] = await Promise.all([
    controlledPostgres(bin, workDir),
    controlledRedis(bin.redisBin, workDir),
    startKafka(bin, workDir),
    startFerretDb(bin, workDir),
  ]);
  process.env.TEST_POSTGRES_URL = postgres.url;
  process.env.TEST_REDIS_URL = redis.url;
  process.env.TEST_KAFKA_BROKERS = kafka.brokers;
  process.env.TEST_MONGO_URL = mongo.url;
  let kafkaUp = true;
  return {
    postgres,
    redis,
    kafka: {
      url: kafka.brokers,
      async stop() {
        if (kafkaUp) await kafka.stop();
        kafkaUp = false;
      },
      async start() {
        if (!kafkaUp) await kafka.start();
        kafkaUp = true;
      },
    },
    mongoUrl: mongo.url,
    workDir,
    async close() {
      await Promise.allSettled([postgres.stop(), redis.stop(), kafka.stop(), mongo.stop()]);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
