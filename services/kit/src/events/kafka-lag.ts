import type { Admin } from 'kafkajs';
import type { Logger } from '../logging/logger.js';
import type { LagSample } from '../telemetry/kit-metrics.js';

export interface KafkaLagOptions {
  /** Resolves with a connected admin client. */
  admin: () => Promise<Admin>;
  groupId: string;
  topics: string[];
  intervalMs: number;
  logger?: Logger;
}

/**
 * Samples a consumer group's lag every `intervalMs`: per partition, the high watermark minus the
 * group's committed offset (minus the low watermark when the group has committed nothing there).
 * `latest()` is what the last sample found (nothing before the first); a failed sample keeps the
 * previous one, so a scrape never waits on the broker.
 */
export function sampleKafkaLag(options: KafkaLagOptions): { latest(): LagSample[]; stop(): void } {
  const { groupId, topics } = options;
  let samples: LagSample[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const sample = async () => {
    const admin = await options.admin();
    const committed = await admin.fetchOffsets({ groupId, topics });
    const next: LagSample[] = [];
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        const from = offset >= 0 ? offset : Number(end.low);
        next.push({ group: groupId, topic, partition: end.partition, lag: Number(end.high) - from });
      }
    }
    samples = next;
  };
  const tick = () => {
    sample()
      .catch((error: unknown) => options.logger?.debug({ err: error, groupId }, 'consumer lag sample failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();
  return {
    latest: () => samples,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
