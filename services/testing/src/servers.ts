import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, cpSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { freePort, portOpen, startProcess, waitFor, type Managed } from './process.js';

/** Paths written by scripts/install-servers.sh. */
export interface ServerBinaries {
  pgBin: string;
  kafkaLib: string;
  ferretdbBin: string;
  redisBin: string;
  /** Unpacked Keycloak distribution; absent in a servers.env written before Keycloak was added. */
  keycloakHome?: string;
}

const cacheDir = process.env.CARTWHEEL_CACHE ?? path.join(os.homedir(), '.cache', 'cartwheel');

/** Reads the binaries' locations, failing with the command that installs them. */
export function readBinaries(): ServerBinaries {
  const file = path.join(cacheDir, 'servers.env');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`make test-servers\` to install the test servers`);
  }
  const env = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    pgBin: env.CARTWHEEL_PG_BIN,
    kafkaLib: env.CARTWHEEL_KAFKA_LIB,
    ferretdbBin: env.CARTWHEEL_FERRETDB_BIN,
    redisBin: env.CARTWHEEL_REDIS_BIN,
    keycloakHome: env.CARTWHEEL_KEYCLOAK_HOME,
  };
}

/** A running server: where to reach it and how to stop it. */
export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root, so as root every step runs as the `postgres` user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export async function startPostgres(bin: ServerBinaries, workDir: string): Promise<RunningServer> {
  const dataDir = path.join(workDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(workDir, uid, gid);
    chownSync(dataDir, uid, gid);
  }
  const [initCmd, initArgs] = asPostgres(path.join(bin.pgBin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [cmd, args] = asPostgres(path.join(bin.pgBin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dataDir,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
  ]);
  const proc = startProcess(cmd, args, path.join(workDir, 'postgres.log'));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(
    'PostgreSQL',
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
    },
    30_000,
  );
  return { url, stop: () => proc.stop() };
}

export async function startRedis(bin: ServerBinaries, workDir: string): Promise<RunningServer> {
  const port = await freePort();
  const proc = startProcess(
    bin.redisBin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir],
    path.join(workDir, 'redis.log'),
  );
  await waitFor('Redis', () => portOpen(port), 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: () => proc.stop() };
}

export async function startFerretDb(bin: ServerBinaries, workDir: string): Promise<RunningServer> {
  const port = await freePort();
  const proc = startProcess(
    bin.ferretdbBin,
    ['-listen', `127.0.0.1:${port}`, '-dir', path.join(workDir, 'ferretdb')],
    path.join(workDir, 'ferretdb.log'),
  );
  const url = `mongodb://127.0.0.1:${port}/`;
  await waitFor(
    'FerretDB',
    async () => {
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000 });
      try {
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close();
      }
    },
    30_000,
  );
  return { url, stop: () => proc.stop() };
}

/** A Kafka broker that a test may stop and start again (same ports, same data). */
export interface RunningKafka {
  brokers: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Apache Kafka 4.x, one combined broker+controller node in KRaft mode on loopback. */
export async function startKafka(bin: ServerBinaries, workDir: string): Promise<RunningKafka> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dir = path.join(workDir, 'kafka');
  mkdirSync(dir, { recursive: true });
  const props = path.join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${path.join(dir, 'data')}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      'log.flush.interval.messages=9223372036854775807',
      '',
    ].join('\n'),
  );
  const log4j = path.join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    [
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.out.ref=out',
      'appender.out.type=Console',
      'appender.out.name=out',
      'appender.out.layout.type=PatternLayout',
      'appender.out.layout.pattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const java = (mainClass: string, args: string[]) => [
    '-Xmx512m',
    '-Xms256m',
    '-XX:+UseSerialGC',
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    path.join(bin.kafkaLib, '*'),
    mainClass,
    ...args,
  ];
  execFileSync(
    'java',
    java('kafka.tools.StorageTool', [
      'format',
      '-t',
      'cartwheel-test-cluster0',
      '-c',
      props,
      '--ignore-formatted',
    ]),
    { stdio: 'ignore' },
  );

  const brokers = `127.0.0.1:${port}`;
  let proc: Managed | undefined;
  const start = async () => {
    proc = startProcess('java', java('kafka.Kafka', [props]), path.join(workDir, 'kafka.log'));
    await waitFor(
      'Kafka',
      async () => {
        await portOpen(port);
        const admin = new Kafka({
          brokers: [brokers],
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
        }).admin();
        await admin.connect();
        try {
          await admin.listTopics();
        } finally {
          await admin.disconnect();
        }
      },
      60_000,
    );
  };
  await start();
  return {
    brokers,
    start,
    stop: async () => {
      await proc?.stop(20_000);
      proc = undefined;
    },
  };
}

/** A Keycloak server and the master-realm administrator the harness created. */
export interface RunningKeycloak extends RunningServer {
  adminUsername: string;
  adminPassword: string;
}

/**
 * Keycloak in dev mode (in-memory H2) on a free loopback port, with `realmFiles` imported at
 * start. The distribution is copied into `workDir` first: start-dev re-augments into its own
 * `lib/` and imports from its own `data/import`, so two runs never share a writable tree.
 * Takes 20–60 s and up to 1 GB; the log is `workDir/keycloak.log`, printed (tail) on failure.
 */
export async function startKeycloak(
  bin: ServerBinaries,
  workDir: string,
  realmFiles: string[],
): Promise<RunningKeycloak> {
  if (!bin.keycloakHome || !existsSync(bin.keycloakHome)) {
    throw new Error('Keycloak is not installed (CARTWHEEL_KEYCLOAK_HOME): run `make test-servers`');
  }
  const home = path.join(workDir, 'keycloak');
  cpSync(bin.keycloakHome, home, { recursive: true });
  const importDir = path.join(home, 'data', 'import');
  mkdirSync(importDir, { recursive: true });
  for (const file of realmFiles) copyFileSync(file, path.join(importDir, path.basename(file)));

  const [port, managementPort] = [await freePort(), await freePort()];
  const adminUsername = 'admin';
  const adminPassword = randomBytes(12).toString('hex');
  const logFile = path.join(workDir, 'keycloak.log');
  const proc = startProcess(
    path.join(home, 'bin', 'kc.sh'),
    [
      'start-dev',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      `--http-management-port=${managementPort}`,
      '--import-realm',
      '--db=dev-mem',
    ],
    logFile,
    {
      env: {
        ...process.env,
        KC_BOOTSTRAP_ADMIN_USERNAME: adminUsername,
        KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        JAVA_OPTS_KC_HEAP: '-Xms128m -Xmx768m',
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const realms = realmFiles.map(
    (file) => (JSON.parse(readFileSync(file, 'utf8')) as { realm: string }).realm,
  );
  const exited = once(proc.child, 'exit').then(([code]) => {
    throw new Error(`Keycloak exited with code ${String(code)} before it was ready`);
  });
  try {
    await Promise.race([
      exited,
      waitFor(
        'Keycloak',
        async () => {
          // Realms are imported before the HTTP listener opens, so every one answering means ready.
          for (const realm of ['master', ...realms]) {
            const response = await fetch(`${url}/realms/${realm}/.well-known/openid-configuration`);
            if (!response.ok) throw new Error(`realm ${realm} answered ${response.status}`);
          }
        },
        180_000,
      ),
    ]);
  } catch (error) {
    await proc.stop();
    let tail = '';
    try {
      tail = readFileSync(logFile, 'utf8').slice(-6000);
    } catch {
      // no log yet
    }
    throw new Error(`${(error as Error).message}\n--- ${logFile} (tail)\n${tail}`, { cause: error });
  }
  return { url, adminUsername, adminPassword, stop: () => proc.stop(30_000) };
}
