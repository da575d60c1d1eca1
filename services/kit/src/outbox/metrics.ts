import { Counter, Gauge, type Registry } from 'prom-client';

/** The relay's Prometheus metrics, labelled by outbox table. */
export interface OutboxMetrics {
  backlog: Gauge<'table'>;
  oldestAge: Gauge<'table'>;
  published: Counter<'table' | 'topic'>;
  failures: Counter<'table'>;
}

/**
 * Registers the outbox metrics in `registry`, or returns the ones already there: several relays
 * (one per table) in one process share a registry, and registering a name twice throws.
 */
export function outboxMetrics(registry: Registry): OutboxMetrics {
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  return {
    backlog:
      existing<Gauge<'table'>>('outbox_backlog') ??
      new Gauge({
        name: 'outbox_backlog',
        help: 'Events written to the outbox and not yet acknowledged by the broker',
        labelNames: ['table'],
        registers: [registry],
      }),
    oldestAge:
      existing<Gauge<'table'>>('outbox_oldest_unpublished_age_seconds') ??
      new Gauge({
        name: 'outbox_oldest_unpublished_age_seconds',
        help: 'Age of the oldest event in the outbox not yet acknowledged by the broker (0 when none)',
        labelNames: ['table'],
        registers: [registry],
      }),
    published:
      existing<Counter<'table' | 'topic'>>('outbox_published_total') ??
      new Counter({
        name: 'outbox_published_total',
        help: 'Events the relay published and marked as published',
        labelNames: ['table', 'topic'],
        registers: [registry],
      }),
    failures:
      existing<Counter<'table'>>('outbox_publish_failures_total') ??
      new Counter({
        name: 'outbox_publish_failures_total',
        help: 'Relay batches whose publish failed (their events stay in the outbox and are retried)',
        labelNames: ['table'],
        registers: [registry],
      }),
  };
}
