import { Counter, Gauge, type Registry } from 'prom-client';
import type { CloudEvent } from '../events/types.js';
import type { BreakerState } from '../http-client/http-client.js';

/** One partition's lag of one consumer group: records published and not yet committed. */
export interface LagSample {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export type HttpClientOutcome = 'ok' | 'error' | 'timeout' | 'rejected';

/**
 * The series the kit itself counts for one service (event buses and the HTTP client), whatever
 * code of the service triggers them. They live in no registry until `registerIn` adds them to
 * the service app's (which `createServiceApp` does).
 */
export interface KitMetrics {
  /** `events_published_total{topic,type}`: events a bus acknowledged. */
  published(topic: string, events: CloudEvent[]): void;
  /** `events_consumed_total` / `events_failed_total` (one per failed attempt) / `events_dead_lettered_total`. */
  delivery(
    outcome: 'consumed' | 'failed' | 'dead_lettered',
    group: string,
    topic: string,
    type: string,
  ): void;
  /** Adds a source of `event_consumer_lag{group,topic,partition}`, read at each scrape; returns its removal. */
  trackLag(source: () => LagSample[]): () => void;
  /** `http_client_requests_total{upstream,outcome}`, one per attempt. */
  httpAttempt(upstream: string, outcome: HttpClientOutcome): void;
  /** Adds a breaker to `http_client_breaker_state{upstream}` (0 closed, 1 half-open, 2 open); returns its removal. */
  trackBreaker(upstream: string, state: () => BreakerState): () => void;
  /** Exposes these series in `registry` too (names the registry already has are left alone). */
  registerIn(registry: Registry): void;
}

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

/** Creates a service's kit series, in no registry yet. */
export function createKitMetrics(): KitMetrics {
  const registers: Registry[] = [];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const published = counter(
    'events_published_total',
    'Events the event bus acknowledged, by topic and type',
    ['topic', 'type'],
  );
  const deliveries = {
    consumed: counter(
      'events_consumed_total',
      'Events a consumer group handled successfully, by group, topic and type',
      ['group', 'topic', 'type'],
    ),
    failed: counter(
      'events_failed_total',
      'Failed handler attempts (each retry counts), by group, topic and type',
      ['group', 'topic', 'type'],
    ),
    dead_lettered: counter(
      'events_dead_lettered_total',
      'Events parked in <topic>.dlq after their retries (or malformed), by group, topic and type',
      ['group', 'topic', 'type'],
    ),
  };
  const lagSources = new Set<() => LagSample[]>();
  const lag = new Gauge({
    name: 'event_consumer_lag',
    help: 'Records published to a partition and not yet committed by the consumer group',
    labelNames: ['group', 'topic', 'partition'],
    registers,
    collect() {
      this.reset();
      for (const source of lagSources) {
        for (const sample of source()) {
          const labels = { group: sample.group, topic: sample.topic, partition: String(sample.partition) };
          this.set(labels, Math.max(0, sample.lag));
        }
      }
    },
  });
  const httpRequests = counter(
    'http_client_requests_total',
    'Attempts of the kit HTTP client by upstream and outcome (ok, error, timeout, rejected by an open breaker)',
    ['upstream', 'outcome'],
  );
  const breakers = new Map<string, Set<() => BreakerState>>();
  const breakerGauge = new Gauge({
    name: 'http_client_breaker_state',
    help: 'Circuit breaker of the kit HTTP client per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers,
    collect() {
      this.reset();
      for (const [upstream, states] of breakers) {
        // Several clients of one upstream in a service: the worst breaker speaks for them.
        const worst = Math.max(...[...states].map((state) => BREAKER_VALUES[state()]));
        this.set({ upstream }, worst);
      }
    },
  });
  const all: Array<Counter<string> | Gauge<string>> = [
    published,
    ...Object.values(deliveries),
    lag,
    httpRequests,
    breakerGauge,
  ];

  return {
    published(topic, events) {
      const byType = new Map<string, number>();
      for (const event of events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
      for (const [type, count] of byType) published.inc({ topic, type }, count);
    },
    delivery: (outcome, group, topic, type) => deliveries[outcome].inc({ group, topic, type }),
    trackLag(source) {
      lagSources.add(source);
      return () => void lagSources.delete(source);
    },
    httpAttempt: (upstream, outcome) => httpRequests.inc({ upstream, outcome }),
    trackBreaker(upstream, state) {
      const states = breakers.get(upstream) ?? new Set();
      breakers.set(upstream, states);
      states.add(state);
      return () => {
        states.delete(state);
        if (states.size === 0) breakers.delete(upstream);
      };
    },
    registerIn(registry) {
      for (const metric of all) {
        // prom-client's typings omit `name`, which every metric has.
        const { name } = metric as unknown as { name: string };
        if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
      }
    },
  };
}
