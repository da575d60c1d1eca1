// CPU and memory of the platform's processes, sampled once a second with pidusage while a load runs.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import pidusage from 'pidusage';

export interface ResourceSample {
  /** Milliseconds since the sampler started. */
  at: number;
  /** Per process name: CPU % since the previous sample (100 = one core) and RSS in MB. */
  usage: Record<string, { cpu: number; rssMb: number }>;
}

export interface ResourceSummary {
  name: string;
  cpuMeanPercent: number;
  cpuMaxPercent: number;
  rssMaxMb: number;
}

export interface ResourceSampler {
  stop(): Promise<ResourceSample[]>;
}

/** name → pid, or several pids whose usage is summed (a PostgreSQL server and its backends). */
export type ProcessTable = Record<string, number | number[] | undefined>;

/**
 * Samples `pids()` (read again each time, so a restarted process is followed) every `intervalMs`
 * until `stop`.
 */
export function sampleResources(pids: () => ProcessTable, intervalMs = 1_000): ResourceSampler {
  const samples: ResourceSample[] = [];
  const started = Date.now();
  let busy: Promise<void> = Promise.resolve();
  const tick = () => {
    busy = (async () => {
      const named = Object.entries(pids()).flatMap(([name, pid]) =>
        pid === undefined ? [] : [[name, Array.isArray(pid) ? pid : [pid]] as const],
      );
      const all = [...new Set(named.flatMap(([, list]) => list))];
      if (all.length === 0) return;
      // One by one: pidusage rejects a whole batch when one pid (a short-lived backend) is gone.
      const stats = new Map<number, { cpu: number; memory: number }>();
      await Promise.all(
        all.map(async (pid) => {
          try {
            stats.set(pid, await pidusage(pid));
          } catch {
            // exited since it was listed
          }
        }),
      );
      const usage: ResourceSample['usage'] = {};
      for (const [name, list] of named) {
        const seen = list.flatMap((pid) => stats.get(pid) ?? []);
        if (seen.length === 0) continue;
        const cpu = seen.reduce((sum, stat) => sum + stat.cpu, 0);
        const memory = seen.reduce((sum, stat) => sum + stat.memory, 0);
        usage[name] = { cpu: Math.round(cpu * 10) / 10, rssMb: Math.round(memory / 2 ** 20) };
      }
      samples.push({ at: Date.now() - started, usage });
    })();
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      pidusage.clear();
      return samples;
    },
  };
}

/** Mean and max CPU %, max RSS per process over the samples. */
export function summariseResources(samples: ResourceSample[]): ResourceSummary[] {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.usage)))];
  return names.map((name) => {
    const seen = samples.flatMap((sample) => (sample.usage[name] ? [sample.usage[name]] : []));
    // The first sample of a pid has no previous one to compare with: pidusage reports the lifetime average.
    const cpu = seen.slice(1).map((u) => u.cpu);
    return {
      name,
      cpuMeanPercent: Math.round((cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length)) * 10) / 10,
      cpuMaxPercent: Math.max(0, ...cpu),
      rssMaxMb: Math.max(0, ...seen.map((u) => u.rssMb)),
    };
  });
}

/** The inodes of sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A = LISTEN, inode is column 10.
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

const processIds = (): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** The process listening on a loopback TCP port (Linux /proc), or undefined. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of processIds()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** `pid` and its direct children (a PostgreSQL postmaster and its backends). */
export function withChildren(pid: number): number[] {
  const children = processIds().filter((candidate) => {
    try {
      const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')': state, ppid, …
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
  return [pid, ...children];
}

/**
 * The server processes behind the given URLs (found by their listening port), for the sampler:
 * PostgreSQL with its backends, Kafka, the MongoDB wire server, Redis.
 */
export function serverProcesses(servers: {
  postgresUrl: string;
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
}): () => ProcessTable {
  const portOf = (url: string) => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);
  const pids = {
    postgres: pidListeningOn(portOf(servers.postgresUrl)),
    kafka: pidListeningOn(portOf(servers.kafkaBrokers[0])),
    'ferretdb (catalog)': pidListeningOn(portOf(servers.mongoUrl)),
    redis: pidListeningOn(portOf(servers.redisUrl)),
  };
  return () => ({
    ...pids,
    postgres: pids.postgres === undefined ? undefined : withChildren(pids.postgres),
  });
}
