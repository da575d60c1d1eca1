import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { EventBus } from '../events/types.js';
import { withTraceContext } from '../events/trace-context.js';
import type { Logger } from '../logging/logger.js';
import { currentServiceScope, withServiceScope } from '../telemetry/service-scope.js';
import { knexOutboxStore } from './knex-store.js';
import { outboxMetrics, type OutboxMetrics } from './metrics.js';
import type { OutboxMessage, OutboxStore, PublishOutcome } from './store.js';

interface RelaySettings {
  bus: EventBus;
  /** Messages claimed and published per round trip (default 500). */
  batchSize?: number;
  /** How often an idle relay looks for new rows (default 200 ms); `notify()` wakes it sooner. */
  pollIntervalMs?: number;
  /** First delay after a failed round; doubles per consecutive failure (default 200 ms). */
  initialBackoffMs?: number;
  /** Upper bound of that delay (default 10 s). */
  maxBackoffMs?: number;
  /**
   * How often an idle relay (rounds that claim nothing) re-reads the backlog for its gauges
   * (default 5 s); after a round that claimed or failed it is always re-read.
   */
  backlogIntervalMs?: number;
  logger?: Logger;
  /**
   * When given, `outbox_backlog`, `outbox_oldest_unpublished_age_seconds`, `outbox_published_total`
   * and `outbox_publish_failures_total` are registered here.
   */
  registry?: Registry;
}

/** The relay on a knex outbox table (`enqueueEvents`), or on any other `OutboxStore`. */
export type OutboxRelayOptions = RelaySettings &
  ({ db: Knex; table?: string; store?: never } | { store: OutboxStore; db?: never; table?: never });

export interface OutboxRelay {
  /** Wakes an idle relay now (call after committing a transaction that enqueued events). */
  notify(): void;
  /**
   * Publishes until no unpublished row is left that this relay can claim, and resolves with how
   * many it published. Rejects on the first failed publish. Safe while the loop runs.
   */
  drain(): Promise<number>;
  /** Stops the loop after the round in hand (never abandons a publish half way). */
  stop(): Promise<void>;
}

// Rounds that must not overlap, per key: the relay itself, or the store's `exclusive` object
// (e.g. every relay of the process on a single-connection database shares one queue).
const queues = new WeakMap<object, Promise<unknown>>();
function serialize<T>(key: object, round: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(round, round);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/** Consecutive messages with the same headers: one `publish` call each, in order. */
function runsOfSameHeaders<M extends OutboxMessage>(messages: M[]): M[][] {
  const runs: M[][] = [];
  let previous: string | undefined;
  for (const message of messages) {
    const headers = JSON.stringify(message.headers ?? {});
    if (headers === previous) runs[runs.length - 1].push(message);
    else runs.push([message]);
    previous = headers;
  }
  return runs;
}

/**
 * Starts the outbox relay: it claims unpublished events in order, publishes them on `bus`, and
 * marks them published only after the bus acknowledged them. A failed publish leaves its events
 * in the outbox; the relay backs off exponentially and retries until the broker is back. Delivery
 * is at-least-once (a crash between acknowledgement and marking republishes), so consumers
 * dedupe on event id.
 *
 * With `db` (and `table`) it relays the knex outbox table written by `enqueueEvents` (see
 * `knexOutboxStore` for how claims work on a PostgreSQL server and on PGlite); with `store` it
 * relays any other `OutboxStore`, so one loop, one backoff and one set of metrics serve them all.
 *
 * @example const relay = startOutboxRelay({ db, bus, logger, registry }); … await relay.stop();
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { bus, logger } = options;
  const store: OutboxStore = options.store ?? knexOutboxStore(options.db, options.table);
  const table = store.name;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const initialBackoffMs = options.initialBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const backlogIntervalMs = options.backlogIntervalMs ?? 5_000;
  const metrics: OutboxMetrics | undefined = options.registry ? outboxMetrics(options.registry) : undefined;
  const queueKey: object = store.exclusive ?? {};

  /** Publishes topics in parallel; within a topic, runs go one after another and stop at the first failure. */
  const publishMessages = async <M extends OutboxMessage>(messages: M[]): Promise<PublishOutcome<M>> => {
    const byTopic = new Map<string, M[]>();
    for (const message of messages) {
      byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    }
    const outcome: PublishOutcome<M> = { acked: [], unacked: [] };
    await Promise.all(
      [...byTopic].map(async ([topic, topicMessages]) => {
        let done = 0;
        for (const run of runsOfSameHeaders(topicMessages)) {
          try {
            const headers =
              run[0].headers && Object.keys(run[0].headers).length > 0 ? run[0].headers : undefined;
            // In the trace that wrote the events (their captured traceparent), not in whatever
            // context this loop happens to run in: the producer span joins the request's trace.
            await withTraceContext(headers ?? {}, () =>
              bus.publish(
                topic,
                run.map((message) => message.event),
                headers,
              ),
            );
          } catch (error) {
            outcome.error ??= error;
            outcome.unacked.push(...topicMessages.slice(done));
            return;
          }
          done += run.length;
          outcome.acked.push(...run);
          metrics?.published.inc({ table, topic }, run.length);
        }
      }),
    );
    return outcome;
  };

  let backlogReadAt = Number.NEGATIVE_INFINITY;
  const recordBacklog = async (live: OutboxMetrics) => {
    const { count, oldestAgeSeconds } = store.backlog
      ? await store.backlog()
      : { count: await store.countUnpublished(), oldestAgeSeconds: undefined };
    backlogReadAt = Date.now();
    live.backlog.set({ table }, count);
    if (oldestAgeSeconds !== undefined) live.oldestAge.set({ table }, oldestAgeSeconds);
    else if (count === 0) live.oldestAge.set({ table }, 0);
  };

  // The relay publishes as the service that started it (its events_published_total, its spans).
  const scope = currentServiceScope();
  const round = async (): Promise<number> => {
    const outcome = await (scope
      ? withServiceScope(scope, () => store.round(batchSize, publishMessages))
      : store.round(batchSize, publishMessages));
    // Idle rounds change nothing but what other writers did: those re-read it now and then.
    const idle = outcome.claimed === 0 && outcome.error === undefined;
    if (metrics && (!idle || Date.now() - backlogReadAt >= backlogIntervalMs)) await recordBacklog(metrics);
    if (outcome.error !== undefined) {
      metrics?.failures.inc({ table });
      await store
        .recordFailure(outcome.unacked, outcome.error)
        .catch((error: unknown) =>
          logger?.warn({ err: error, table }, 'outbox relay: could not record the failed attempt'),
        );
      throw outcome.error;
    }
    return outcome.claimed;
  };

  let stopping = false;
  let notified = false;
  let wakeIdle: (() => void) | undefined;
  let interrupt: (() => void) | undefined;
  const pause = (ms: number, wakeOnNotify: boolean): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeIdle = interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt = done;
      if (wakeOnNotify) wakeIdle = done;
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopping) {
      let claimed: number;
      try {
        notified = false;
        claimed = await serialize(queueKey, round);
        if (failures > 0) logger?.info({ table, failures }, 'outbox relay: publishing again');
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(failures - 1, 30));
        logger?.warn(
          { err: error, table, failures, retryInMs: delay },
          'outbox relay: round failed; events stay in the outbox',
        );
        // A broker outage is not shortened by new commits, so notify() does not cut this short.
        if (!stopping) await pause(delay, false);
        continue;
      }
      // A full batch or a commit during the round means more rows are probably waiting.
      if (claimed < batchSize && !notified && !stopping) await pause(pollIntervalMs, true);
    }
  };
  const running = loop();

  return {
    notify() {
      notified = true;
      wakeIdle?.();
    },
    async drain() {
      let total = 0;
      for (;;) {
        const claimed = await serialize(queueKey, round);
        if (claimed === 0) return total;
        total += claimed;
      }
    },
    async stop() {
      stopping = true;
      interrupt?.();
      await running;
    },
  };
}
