// The platform as separate processes, one per service, in connected mode against real servers:
// what `startPlatform` wires in one process (each service's URL for the later ones, one shared
// client-credentials secret, the admin) done by hand through the environment, as containers get it.
// Each service listens on a port chosen up front, so a killed service comes back where the others
// already look for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, uniqueName, type TestServers } from '@cartwheel/testing';
import { freePort } from '../../services/testing/src/process.js';

/** Start order: a service's dependencies start before it; the gateway last, in front of all. */
export const SERVICES = ['user', 'product', 'inventory', 'order', 'notification', 'ai', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The services with a PostgreSQL database of their own (`<SERVICE>_DATABASE_URL`). */
export const DATABASE_SERVICES = ['user', 'inventory', 'order'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ClusterOptions {
  servers: TestServers;
  admin: { email: string; password: string };
  /** Added to every service's environment (e.g. raised gateway limits). */
  env?: Record<string, string>;
  /** Per service, applied last (e.g. the order service's PRODUCT_URL through a delaying proxy). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /**
   * `source` runs `src/main.ts` through tsx, `dist` the compiled `dist/main.js`; default: dist when
   * every workspace's build is newer than its sources (`make bench` builds first), else source.
   * `BENCH_SERVICES_FROM` overrides it.
   */
  from?: 'source' | 'dist';
  /** How long one service may take to print where it listens (default 120 s: the machine is shared). */
  startTimeoutMs?: number;
}

export interface Cluster {
  /** Where each service listens (`http://127.0.0.1:<port>`). */
  urls: Record<ServiceName, string>;
  gateway: string;
  databases: Record<DatabaseService, string>;
  /** The catalog's database on the MongoDB wire server. */
  mongoUrl: string;
  from: 'source' | 'dist';
  /** Starts that failed and were retried, with the error (reported next to the figures). */
  restarts: string[];
  /** The running process of each service (for pidusage); absent while a service is down. */
  pids(): Partial<Record<ServiceName, number>>;
  /** Sends `signal` to one service and resolves once its process is gone. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts one service again (same port, same environment); resolves once it listens. */
  start(name: ServiceName): Promise<void>;
  /** The last `chars` of what a service printed (its log, for failure reports). */
  output(name: ServiceName, chars?: number): string;
  /** Where each service's whole log is written (`<logDir>/<service>.log`). */
  logDir: string;
  /**
   * SIGTERM to every service, the gateway first; SIGKILL after `deadlineMs`. The logs and data
   * are removed unless `keepLogs` (a failed fault run keeps them for the report).
   */
  stop(options?: { deadlineMs?: number; keepLogs?: boolean }): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Newest modification time under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  let latest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Every workspace a service process loads has a build newer than its sources. */
function distIsFresh(): boolean {
  return ['kit', 'web', ...SERVICES].every((workspace) => {
    const dir = path.join(ROOT, 'services', workspace);
    const built = newest(path.join(dir, 'dist'));
    return built > 0 && built >= newest(path.join(dir, 'src'));
  });
}

function chooseFrom(wanted: ClusterOptions['from']): 'source' | 'dist' {
  const forced = process.env.BENCH_SERVICES_FROM;
  if (forced === 'source' || forced === 'dist') return forced;
  return wanted ?? (distIsFresh() ? 'dist' : 'source');
}

/**
 * Starts user, product, inventory, order, notification, ai and gateway, each as its own Node
 * process, in that order, on the given servers: a fresh PostgreSQL database per database
 * service, a fresh catalog database on the MongoDB wire server, the shared Kafka and Redis.
 * Logs and embedded leftovers (the user service's signing key, notification's mail files) go
 * to a temporary directory removed by `stop`.
 *
 * @example const cluster = await startCluster({ servers: testServers(), admin }); … await cluster.stop();
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const from = chooseFrom(options.from);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-cluster-'));
  const ports = Object.fromEntries(
    await Promise.all(SERVICES.map(async (name) => [name, await freePort()] as const)),
  ) as Record<ServiceName, number>;
  const urls = Object.fromEntries(
    SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`]),
  ) as Record<ServiceName, string>;
  const databases = Object.fromEntries(
    await Promise.all(
      DATABASE_SERVICES.map(async (name) => [name, await createDatabase(`cluster_${name}`)] as const),
    ),
  ) as Record<DatabaseService, string>;
  const mongo = new URL(options.servers.mongoUrl);
  mongo.pathname = `/${uniqueName('cluster')}`;

  const shared: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    CARTWHEEL_DATA_DIR: path.join(workDir, 'data'),
    CARTWHEEL_DEMO_DATA: 'false',
    CARTWHEEL_ADMIN_EMAIL: options.admin.email,
    CARTWHEEL_ADMIN_PASSWORD: options.admin.password,
    SERVICE_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    KAFKA_BROKERS: options.servers.kafkaBrokers.join(','),
    MONGO_URL: mongo.toString(),
    REDIS_URL: options.servers.redisUrl,
    ...Object.fromEntries(SERVICES.map((name) => [`${name.toUpperCase()}_URL`, urls[name]])),
    ...options.env,
  };
  const envOf = (name: ServiceName): NodeJS.ProcessEnv => ({
    ...process.env,
    ...shared,
    [`${name.toUpperCase()}_PORT`]: String(ports[name]),
    ...((DATABASE_SERVICES as readonly string[]).includes(name)
      ? { [`${name.toUpperCase()}_DATABASE_URL`]: databases[name as DatabaseService] }
      : {}),
    ...options.serviceEnv?.[name],
  });

  const running = new Map<ServiceName, Running>();
  const logs = new Map<ServiceName, WriteStream>();
  const printed = new Map<ServiceName, string>();
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;

  const launch = async (name: ServiceName): Promise<void> => {
    if (running.has(name)) throw new Error(`${name} is already running`);
    const dir = path.join(ROOT, 'services', name);
    const args =
      from === 'dist'
        ? [path.join(dir, 'dist', 'main.js')]
        : ['--conditions=development', '--import=tsx', path.join(dir, 'src', 'main.ts')];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: envOf(name),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = logs.get(name);
    if (!log) {
      log = createWriteStream(path.join(workDir, `${name}.log`), { flags: 'a' });
      logs.set(name, log);
    }
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      // The tail is enough for failure reports; the whole log is in the work directory.
      printed.set(name, ((printed.get(name) ?? '') + chunk.toString()).slice(-20_000));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    running.set(name, { child, exited });
    void exited.then(() => {
      if (running.get(name)?.child === child) running.delete(name);
    });
    printed.set(name, '');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${startTimeoutMs} ms:\n${printed.get(name)}`));
      }, startTimeoutMs);
      const check = () => {
        if (!printed.get(name)?.includes('Press Ctrl+C to stop.')) return;
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${child.exitCode} before it listened:\n${printed.get(name)}`));
      });
    });
  };

  // A supervisor's restart: a service that exits before it listens is started again (twice at
  // most), as Kubernetes restarts a crashed pod. Seen here: on a fresh broker the first consumer
  // to join can crash the service's start with kafkajs's retriable "The coordinator is loading
  // and hence can't process requests for this group".
  const restarts: string[] = [];
  const start = async (name: ServiceName): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(name);
      } catch (error) {
        if (attempt >= 3 || !/exited with/.test((error as Error).message)) throw error;
        const reason = (error as Error).message.match(/[A-Za-z]*Error: [^\\\n"]*/)?.[0] ?? 'exit';
        restarts.push(`${name} exited before it listened and was started again (${reason})`);
      }
    }
  };

  const kill = async (name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = running.get(name);
    if (!proc) return;
    proc.child.kill(signal);
    await proc.exited;
  };

  const stop = async ({ deadlineMs = 15_000, keepLogs = false } = {}): Promise<void> => {
    for (const name of [...SERVICES].reverse()) {
      const proc = running.get(name);
      if (!proc) continue;
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), deadlineMs);
      await kill(name, 'SIGTERM');
      clearTimeout(timer);
    }
    await Promise.all([...logs.values()].map((log) => new Promise((resolve) => log.end(resolve))));
    if (!keepLogs) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    for (const name of SERVICES) await start(name);
  } catch (error) {
    await stop({ deadlineMs: 2_000, keepLogs: true });
    throw error;
  }
  return {
    urls,
    gateway: urls.gateway,
    databases,
    mongoUrl: mongo.toString(),
    from,
    restarts,
    pids: () =>
      Object.fromEntries([...running].map(([name, proc]) => [name, proc.child.pid])) as Partial<
        Record<ServiceName, number>
      >,
    kill,
    start,
    logDir: workDir,
    output: (name, chars = 4_000) => (printed.get(name) ?? '').slice(-chars),
    stop,
  };
}
