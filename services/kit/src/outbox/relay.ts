import type { Knex } from 'knex';
import type { Registry } from 'prom-client';
import type { EventBus } from '../events/types.js';
import type { Logger } from '../logging/logger.js';
import { outboxMetrics, type OutboxMetrics } from './metrics.js';
import { countUnpublished, DEFAULT_OUTBOX_TABLE, type OutboxRow } from './outbox.js';

export interface OutboxRelayOptions {
  db: Knex;
  bus: EventBus;
  table?: string;
  /** Rows claimed and published per round trip (default 500). */
  batchSize?: number;
  /** How often an idle relay looks for new rows (default 200 ms); `notify()` wakes it sooner. */
  pollIntervalMs?: number;
  /** First delay after a failed round; doubles per consecutive failure (default 200 ms). */
  initialBackoffMs?: number;
  /** Upper bound of that delay (default 10 s). */
  maxBackoffMs?: number;
  logger?: Logger;
  /** When given, `outbox_backlog`, `outbox_published_total` and `outbox_publish_failures_total` are registered here. */
  registry?: Registry;
}

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

interface RoundOutcome {
  claimed: number;
  acked: OutboxRow[];
  unacked: OutboxRow[];
  error?: unknown;
}

// Rounds that must not overlap, per key: the relay itself, or the knex instance when the database
// has a single connection (every relay of the process on that database shares one queue).
const queues = new WeakMap<object, Promise<unknown>>();
function serialize<T>(key: object, round: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(round, round);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/** PGlite (and a server pool of one) cannot run a second statement while a transaction is open. */
function hasSingleConnection(db: Knex): boolean {
  const pool = (db.client as { config?: { pool?: { max?: number } } }).config?.pool;
  return pool?.max !== undefined && pool.max <= 1;
}

/** Consecutive rows with the same headers: one `publish` call each, in id order. */
function runsOfSameHeaders(rows: OutboxRow[]): OutboxRow[][] {
  const runs: OutboxRow[][] = [];
  let previous: string | undefined;
  for (const row of rows) {
    const headers = JSON.stringify(row.headers ?? {});
    if (headers === previous) runs[runs.length - 1].push(row);
    else runs.push([row]);
    previous = headers;
  }
  return runs;
}

const errorText = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

/**
 * Starts the outbox relay: it claims unpublished rows in id order, publishes them on `bus`, and
 * marks them published only after the bus acknowledged them. A failed publish leaves its rows in
 * the outbox; the relay backs off exponentially and retries until the broker is back. Delivery is
 * at-least-once (a crash between acknowledgement and commit republishes), so consumers dedupe on
 * event id.
 *
 * On a PostgreSQL server each round is one transaction that claims rows `for update skip locked`
 * and holds them until the publish is acknowledged, so several relays (replicas) never publish
 * the same row; one relay keeps per-key order, several only keep it within their own batches.
 * With a single connection (PGlite) no transaction stays open across the publish — the service's
 * own writes would queue behind a broker outage — and rounds of every relay on that database run
 * one at a time in this process instead (PGlite cannot be opened by a second process).
 *
 * @example const relay = startOutboxRelay({ db, bus, logger, registry }); … await relay.stop();
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus, logger } = options;
  const table = options.table ?? DEFAULT_OUTBOX_TABLE;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const initialBackoffMs = options.initialBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const metrics: OutboxMetrics | undefined = options.registry ? outboxMetrics(options.registry) : undefined;
  const single = hasSingleConnection(db);
  const relayKey = {};
  const queueKey: object = single ? db : relayKey;

  const claim = (conn: Knex | Knex.Transaction): Promise<OutboxRow[]> => {
    const query = conn(table)
      .select('id', 'topic', 'event_key', 'event', 'headers', 'attempts')
      .whereNull('published_at')
      .orderBy('id')
      .limit(batchSize);
    return single ? query : query.forUpdate().skipLocked();
  };

  const markPublished = async (conn: Knex | Knex.Transaction, rows: OutboxRow[]): Promise<void> => {
    if (rows.length === 0) return;
    await conn(table)
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ published_at: conn.fn.now() });
  };

  /** Publishes topics in parallel; within a topic, runs go one after another and stop at the first failure. */
  const publishRows = async (rows: OutboxRow[]): Promise<RoundOutcome> => {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    const outcome: RoundOutcome = { claimed: rows.length, acked: [], unacked: [] };
    await Promise.all(
      [...byTopic].map(async ([topic, topicRows]) => {
        let done = 0;
        for (const run of runsOfSameHeaders(topicRows)) {
          try {
            const headers =
              run[0].headers && Object.keys(run[0].headers).length > 0 ? run[0].headers : undefined;
            await bus.publish(
              topic,
              run.map((row) => row.event),
              headers,
            );
          } catch (error) {
            outcome.error ??= error;
            outcome.unacked.push(...topicRows.slice(done));
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

  const recordFailure = async (rows: OutboxRow[], error: unknown): Promise<void> => {
    metrics?.failures.inc({ table });
    if (rows.length === 0) return;
    // `skip locked`: rows another relay has claimed meanwhile are its business, never wait for them.
    const ids = db(table)
      .select('id')
      .whereIn(
        'id',
        rows.map((row) => row.id),
      );
    await db(table)
      .whereIn('id', single ? ids : ids.forUpdate().skipLocked())
      .update({ attempts: db.raw('attempts + 1'), last_error: errorText(error) });
  };

  const round = async (): Promise<number> => {
    let outcome: RoundOutcome;
    if (single) {
      outcome = await publishRows(await claim(db));
      await markPublished(db, outcome.acked);
    } else {
      outcome = await db.transaction(async (trx) => {
        const result = await publishRows(await claim(trx));
        // Acknowledged rows are marked even when another topic of the batch failed: rolling them
        // back would only publish them twice.
        await markPublished(trx, result.acked);
        return result;
      });
    }
    if (metrics) metrics.backlog.set({ table }, await countUnpublished(db, table));
    if (outcome.error !== undefined) {
      await recordFailure(outcome.unacked, outcome.error).catch((error: unknown) =>
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
