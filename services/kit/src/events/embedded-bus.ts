import type { Logger } from '../logging/logger.js';
import { currentServiceScope, type ServiceScope } from '../telemetry/service-scope.js';
import { fileStore, memoryStore, type StoredRecord } from './embedded-store.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BACKOFF_MS, deliverWithRetry } from './retry.js';
import { groupTopicRegistry } from './group-topics.js';
import { tracedPublish } from './publish-telemetry.js';
import {
  dlqTopic,
  type CloudEvent,
  type EventBus,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from './types.js';

export interface EmbeddedBusOptions {
  /** Partitions of every topic (default 3, like the test broker). */
  partitions?: number;
  logger?: Logger;
  /** Keep topics and committed offsets here so they survive a restart; in memory when omitted. */
  dataDir?: string;
}

interface Member {
  handler: EventHandler;
  /** The subscribing service. */
  scope?: ServiceScope;
  maxRetries: number;
  retryBackoffMs: number;
  abort: AbortController;
  inflight: Set<Promise<void>>;
}

/** One consumer group's view of one topic: its live members and its committed offsets. */
interface GroupTopic {
  members: Member[];
  /** Committed position per partition: the offset of the next record to deliver. */
  next: number[];
  laneRunning: boolean[];
  waiters: Array<() => void>;
}

/** FNV-1a: stable across restarts and processes, unlike anything keyed on object identity. */
function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/**
 * The in-process event bus of embedded mode (DESIGN §5), with Kafka's semantics: partitioned
 * topics (key = subject, so per-key order), consumer groups that each see every event and
 * split partitions among their members, committed offsets per group (a group that subscribes
 * again resumes after its last finished event), retry with doubling backoff, then `<topic>.dlq`.
 * With `dataDir`, topics and committed offsets survive a restart (DESIGN §5).
 *
 * @param options partitions per topic (default 3), `dataDir` to persist, an optional logger.
 * @example const bus = createEmbeddedBus({ dataDir: `${config.dataDir}/events`, logger });
 */
export function createEmbeddedBus(options: EmbeddedBusOptions = {}): EventBus {
  const partitionCount = options.partitions ?? 3;
  const logger = options.logger;
  const store = options.dataDir ? fileStore(options.dataDir) : memoryStore();
  const topics = store.topics;
  const groups = new Map<string, Map<string, GroupTopic>>();
  const members = new Set<{ stop(): Promise<void> }>();
  const groupTopics = groupTopicRegistry();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('The embedded event bus is closed');
  };
  const createTopic = (name: string) => {
    if (topics.has(name)) return;
    store.createTopic(name, partitionCount);
    topics.set(
      name,
      Array.from({ length: partitionCount }, () => []),
    );
  };
  const wake = (state: GroupTopic) => {
    for (const resolve of state.waiters.splice(0)) resolve();
  };
  const changed = (state: GroupTopic) => new Promise<void>((resolve) => state.waiters.push(resolve));

  function append(topic: string, record: StoredRecord): void {
    const log = topics.get(topic);
    if (!log) throw new Error(`Unknown topic "${topic}": create it with ensureTopics first`);
    const partition = partitionFor(record.key, log.length);
    store.append(topic, partition, record);
    log[partition].push(record);
    for (const byTopic of groups.values()) {
      const state = byTopic.get(topic);
      if (state) wake(state);
    }
  }

  /** One loop per (group, topic, partition) while the group has members: this is what keeps a key in order. */
  async function runLane(
    groupId: string,
    topic: string,
    partition: number,
    state: GroupTopic,
  ): Promise<void> {
    state.laneRunning[partition] = true;
    try {
      while (!closed && state.members.length > 0) {
        const log = topics.get(topic)![partition];
        const offset = state.next[partition];
        if (offset >= log.length) {
          await changed(state);
          continue;
        }
        const member = state.members[partition % state.members.length];
        const record = log[offset];
        const step = deliverWithRetry({
          raw: record.value,
          topic,
          partition,
          offset: String(offset),
          groupId,
          headers: { ...record.headers },
          handler: member.handler,
          maxRetries: member.maxRetries,
          retryBackoffMs: member.retryBackoffMs,
          signal: member.abort.signal,
          logger,
          scope: member.scope,
          deadLetter: async (headers) => {
            createTopic(dlqTopic(topic));
            append(dlqTopic(topic), { key: record.key, value: record.value, headers });
          },
        }).then(
          (outcome) => {
            if (outcome === 'abandoned') return;
            state.next[partition] = offset + 1;
            store.commit(groupId, topic, state.next);
          },
          (error: unknown) =>
            logger?.error({ topic, partition, offset, err: error }, 'delivery failed; will redeliver'),
        );
        member.inflight.add(step);
        await step;
        member.inflight.delete(step);
      }
    } finally {
      state.laneRunning[partition] = false;
    }
  }

  return {
    async publish(topic: string, events: CloudEvent[], headers: Record<string, string> = {}): Promise<void> {
      assertOpen();
      if (!topics.has(topic)) throw new Error(`Unknown topic "${topic}": create it with ensureTopics first`);
      if (events.length === 0) return;
      await tracedPublish('embedded', topic, events, headers, async (traced) => {
        for (const event of events) {
          append(topic, { key: event.subject, value: JSON.stringify(event), headers: { ...traced } });
        }
      });
    },

    async subscribe(subscribe: SubscribeOptions): Promise<Subscription> {
      assertOpen();
      const missing = subscribe.topics.filter((topic) => !topics.has(topic));
      if (missing.length > 0)
        throw new Error(`Unknown topic(s) ${missing.join(', ')}: create them with ensureTopics first`);
      const leaveGroup = groupTopics.join(subscribe.groupId, subscribe.topics);
      const member: Member = {
        handler: subscribe.handler,
        scope: currentServiceScope(),
        maxRetries: subscribe.maxRetries ?? DEFAULT_MAX_RETRIES,
        retryBackoffMs: subscribe.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS,
        abort: new AbortController(),
        inflight: new Set(),
      };
      const byTopic = groups.get(subscribe.groupId) ?? new Map<string, GroupTopic>();
      groups.set(subscribe.groupId, byTopic);
      const states: GroupTopic[] = [];
      const untrackLag: Array<() => void> = [];
      for (const topic of subscribe.topics) {
        let state = byTopic.get(topic);
        if (!state) {
          // A group without committed offsets starts at the beginning or, like Kafka's `latest`, at the end.
          const log = topics.get(topic)!;
          const saved = store.offsets.get(subscribe.groupId)?.get(topic);
          const next = log.map(
            (records, p) => saved?.[p] ?? (subscribe.fromBeginning === false ? records.length : 0),
          );
          state = { members: [], next, laneRunning: next.map(() => false), waiters: [] };
          byTopic.set(topic, state);
        }
        state.members.push(member);
        states.push(state);
        const tracked = state;
        untrackLag.push(
          member.scope?.metrics.trackLag(() =>
            tracked.next.map((next, partition) => ({
              group: subscribe.groupId,
              topic,
              partition,
              lag: (topics.get(topic)?.[partition].length ?? next) - next,
            })),
          ) ?? (() => undefined),
        );
        wake(state);
        for (let partition = 0; partition < state.next.length; partition++) {
          if (!state.laneRunning[partition]) void runLane(subscribe.groupId, topic, partition, state);
        }
      }
      let stopped: Promise<void> | undefined;
      const handle = {
        stop(): Promise<void> {
          stopped ??= (async () => {
            leaveGroup();
            for (const untrack of untrackLag) untrack();
            member.abort.abort();
            for (const state of states) {
              state.members = state.members.filter((m) => m !== member);
              wake(state);
            }
            await Promise.all([...member.inflight]);
            members.delete(handle);
          })();
          return stopped;
        },
      };
      members.add(handle);
      return handle;
    },

    async ensureTopics(names: string[]): Promise<void> {
      assertOpen();
      for (const name of names) {
        // Kafka's rule; it also keeps topic names safe as directory names under dataDir.
        if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name) || name === '.' || name === '..') {
          throw new Error(`Invalid topic name "${name}"`);
        }
        createTopic(name);
        if (!name.endsWith('.dlq')) createTopic(dlqTopic(name));
      }
    },

    async ping(): Promise<void> {
      assertOpen();
    },

    async close(): Promise<void> {
      if (closed) return;
      await Promise.all([...members].map((member) => member.stop()));
      closed = true;
      store.close();
      for (const byTopic of groups.values()) for (const state of byTopic.values()) wake(state);
    },
  };
}
