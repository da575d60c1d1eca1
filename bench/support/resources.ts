// CPU and memory of the platform's processes, sampled once a second with pidusage while a load runs.
import pidusage from 'pidusage';
import { pidListeningOn, withChildren } from './proc.js';

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
 * until `stop`; a sample still running when the next is due makes that one skip.
 */
export function sampleResources(
  pids: () => ProcessTable | Promise<ProcessTable>,
  intervalMs = 1_000,
): ResourceSampler {
  const samples: ResourceSample[] = [];
  const started = Date.now();
  let busy: Promise<void> | undefined;
  const tick = () => {
    if (busy) return;
    busy = (async () => {
      const named = Object.entries(await pids()).flatMap(([name, pid]) =>
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
    })().finally(() => {
      busy = undefined;
    });
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

/**
 * The server processes behind the given URLs (found once, by their listening port), for the
 * sampler: PostgreSQL with its backends (looked up at each sample), Kafka, the MongoDB wire
 * server, Redis. Call it before the measured load: the lookup walks /proc.
 */
export async function serverProcesses(servers: {
  postgresUrl: string;
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
}): Promise<() => Promise<ProcessTable>> {
  const portOf = (url: string) => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);
  const [postgres, kafka, ferretdb, redis] = await Promise.all(
    [servers.postgresUrl, servers.kafkaBrokers[0], servers.mongoUrl, servers.redisUrl].map((url) =>
      pidListeningOn(portOf(url)),
    ),
  );
  return async () => ({
    postgres: postgres === undefined ? undefined : await withChildren(postgres),
    kafka,
    'ferretdb (catalog)': ferretdb,
    redis,
  });
}
