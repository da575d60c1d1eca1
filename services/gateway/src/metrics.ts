import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

import type { BreakerState } from './data-access/upstream-client.js';

/** The gateway's own series (README "Metrics"), on the app's registry. */
export interface GatewayMetrics {
  upstreamRequests: Counter<'upstream' | 'route' | 'status'>;
  upstreamDuration: Histogram<'upstream'>;
  breakerState: Gauge<'upstream'>;
  rateLimited: Counter<'bucket'>;
  setBreakerState(upstream: string, state: BreakerState): void;
  forgetUpstream(upstream: string): void;
}

/** Gauge values: 0 closed, 1 half-open (one trial request), 2 open (failing fast). */
const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const breakerState = new Gauge({
    name: 'gateway_breaker_state',
    help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  return {
    upstreamRequests: new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Requests forwarded, by upstream, route prefix and the status the client got (502/503/504 from the gateway included)',
      labelNames: ['upstream', 'route', 'status'] as const,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_duration_seconds',
      help: 'Time from forwarding a request until the upstream response headers arrived',
      labelNames: ['upstream'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    breakerState,
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused with 429, by rate-limit bucket (default, ai, auth)',
      labelNames: ['bucket'] as const,
      registers: [registry],
    }),
    setBreakerState: (upstream, state) => breakerState.set({ upstream }, BREAKER_VALUES[state]),
    forgetUpstream: (upstream) => breakerState.remove({ upstream }),
  };
}
