/** @cartwheel/ai: shopping assistant, recommendations, natural-language search and follow-up emails over the live catalog, with a deterministic fallback. Exports its ServiceDefinition as `service`. */
import {
  createClientCredentialsTokens,
  loadConfig,
  verifierFromConfig,
  type ServiceDefinition,
} from '@cartwheel/kit';
import { startAiService } from './ai-service.js';
import { aiConfig } from './config.js';
import { createUpstreams } from './data-access/upstreams.js';

export { createApp, type AppDeps } from './app.js';
export {
  DEFAULT_TOPICS,
  HANDLED_ORDERS_CAPACITY,
  startAiService,
  type AiServiceOptions,
  type RunningAiService,
} from './ai-service.js';
export { aiConfig, DEFAULT_MODEL, type AiConfig } from './config.js';
export {
  createAnthropicModel,
  DEFAULT_BASE_URL,
  type AnthropicModel,
  type AnthropicSettings,
  type ProviderBreakerOptions,
} from './data-access/anthropic.model.js';
export { createUpstreams, type UpstreamOptions, type Upstreams } from './data-access/upstreams.js';
export { createAiMetrics, type AiMetrics } from './metrics.js';

/** The ai service (DESIGN §3: port 8086, no database, consumes `orders`, publishes `ai-notifications`). */
export const service: ServiceDefinition = {
  name: 'ai',
  defaultPort: 8086,
  async start(runtime, port) {
    const config = loadConfig(aiConfig, runtime.env);
    const getToken = createClientCredentialsTokens({
      tokenUrl: new URL('/api/v1/auth/token', config.USER_URL).toString(),
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    });
    return startAiService({
      bus: runtime.bus,
      verifier: verifierFromConfig(config),
      logger: runtime.logger,
      upstreams: createUpstreams({
        productUrl: config.PRODUCT_URL,
        inventoryUrl: config.INVENTORY_URL,
        getToken,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        logger: runtime.logger,
      }),
      provider: config.ANTHROPIC_API_KEY
        ? {
            apiKey: config.ANTHROPIC_API_KEY,
            baseUrl: config.ANTHROPIC_BASE_URL,
            model: config.ANTHROPIC_MODEL,
            maxTokens: config.AI_MAX_TOKENS,
          }
        : undefined,
      timeoutMs: config.AI_TIMEOUT_MS,
      port,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
  },
};
