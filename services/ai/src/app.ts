import {
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Registry } from 'prom-client';
import type { AiObserver } from './domain/answer.js';
import type { CatalogReader, StockReader } from './domain/catalog.js';
import type { LanguageModel } from './domain/model.js';
import { aiRoutes } from './entry-points/http/ai.routes.js';

export interface AppDeps {
  verifier: TokenVerifier;
  logger: Logger;
  catalog: CatalogReader;
  stock: StockReader;
  /** Absent when no API key is configured: every answer is the fallback. */
  model?: LanguageModel;
  /** Metrics (and fallback logs), usually `createAiMetrics(registry, logger)`. */
  observer: AiObserver;
  /** Budget of one answer for all its model turns (`AI_TIMEOUT_MS`). */
  timeoutMs: number;
  /** The registry `observer` writes to, served at `/metrics`. */
  registry?: Registry;
  readiness?: ReadinessCheck[];
}

/**
 * The ai service's HTTP app (no listening, no consumer): what tests mount on port 0.
 *
 * @example const { app } = createApp({ verifier, logger, catalog, stock, observer, timeoutMs }); await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  return createServiceApp({
    service: 'ai',
    logger: deps.logger,
    registry: deps.registry,
    // 20 history turns of 4,000 characters and a message fit; anything far above is not a chat.
    bodyLimit: '160kb',
    routers: [aiRoutes(deps)],
    readiness: deps.readiness,
  });
}
