import type { Logger } from '@cartwheel/kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AiObserver } from './domain/answer.js';

/** What the provider adapter reports. */
export interface ProviderMetrics {
  /** Token usage of one turn (`cache_read`/`cache_write` show prompt caching at work). */
  tokens(direction: 'input' | 'output' | 'cache_read' | 'cache_write', count: number): void;
  /** Latency of one provider call, by outcome (`ok`, `timeout`, `error`). */
  providerCall(outcome: 'ok' | 'timeout' | 'error', seconds: number): void;
}

export type BreakerState = 'closed' | 'halfOpen' | 'open';

export interface AiMetrics extends AiObserver, ProviderMetrics {
  /** Reports the provider breaker's state as `ai_provider_breaker_state` (0 closed, 1 half-open, 2 open). */
  watchBreaker(state: () => BreakerState): void;
}

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

/**
 * The ai service's series in the app's registry: `ai_requests_total{endpoint,source}`,
 * `ai_fallbacks_total{endpoint,reason}`, `ai_tokens_total{direction}`,
 * `ai_provider_duration_seconds{outcome}` and `ai_provider_breaker_state`. Fallbacks are also
 * logged (at debug when simply no key is configured).
 */
export function createAiMetrics(registry: Registry, logger: Logger): AiMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: 'ai_requests_total',
    help: 'AI answers by endpoint (chat, recommendations, suggest, email) and source (model, fallback)',
    labelNames: ['endpoint', 'source'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: 'ai_fallbacks_total',
    help: 'Answers the deterministic fallback gave, by endpoint and reason',
    labelNames: ['endpoint', 'reason'] as const,
    registers,
  });
  const tokens = new Counter({
    name: 'ai_tokens_total',
    help: 'Provider tokens by direction (input, output, cache_read, cache_write)',
    labelNames: ['direction'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'ai_provider_duration_seconds',
    help: 'Duration of one provider call (one model turn), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers,
  });
  let breakerState: () => BreakerState = () => 'closed';
  new Gauge({
    name: 'ai_provider_breaker_state',
    help: 'Circuit breaker around the provider: 0 closed, 1 half-open, 2 open',
    registers,
    collect() {
      this.set(BREAKER_VALUES[breakerState()]);
    },
  });
  return {
    answered: (endpoint, source) => requests.inc({ endpoint, source }),
    fellBack(endpoint, reason, error) {
      fallbacks.inc({ endpoint, reason });
      const log = { endpoint, reason, err: error };
      if (reason === 'no_key') logger.debug(log, 'answered from the fallback');
      else logger.warn(log, 'answered from the fallback');
    },
    tokens: (direction, count) => {
      if (count > 0) tokens.inc({ direction }, count);
    },
    providerCall: (outcome, seconds) => duration.observe({ outcome }, seconds),
    watchBreaker(state) {
      breakerState = state;
    },
  };
}
