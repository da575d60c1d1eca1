/** @cartwheel/gateway: the front door: routing, edge auth, rate limits, resilience and API docs. */
import { listen, loadConfig, verifierFromConfig, type ServiceDefinition } from '@cartwheel/kit';

import { createApp } from './app.js';
import { gatewayConfig } from './config.js';
import { kubeConfigFor, podNamespace, startKubernetesRoutes } from './data-access/kubernetes-routes.js';
import { createRateLimitRedis } from './data-access/rate-limit-store.js';

export { createApp, type Gateway, type GatewayDeps } from './app.js';
export { gatewayConfig, type GatewayConfig } from './config.js';

/**
 * The gateway as the platform and its own `main.ts` start it (DESIGN §3: port 8080). Registered
 * last in the platform, so every `<SERVICE>_URL` already points where that service listens.
 */
export const service: ServiceDefinition = {
  name: 'gateway',
  defaultPort: 8080,
  async start(runtime, port) {
    const config = loadConfig(gatewayConfig, runtime.env);
    const logger = runtime.logger;
    const redis = config.REDIS_URL
      ? createRateLimitRedis(config.REDIS_URL, config.REDIS_COMMAND_TIMEOUT_MS, logger)
      : undefined;
    const routes = config.ROUTES_FROM_KUBERNETES
      ? await startKubernetesRoutes({
          kubeConfig: await kubeConfigFor(config.KUBERNETES_API_URL),
          namespace: config.KUBERNETES_NAMESPACE ?? podNamespace(),
          resyncMs: config.KUBERNETES_RESYNC_MS,
          logger,
        })
      : undefined;
    const gateway = createApp({ config, logger, verifier: verifierFromConfig(config), routes, redis });
    const server = await listen(gateway.app, port);
    return {
      name: 'gateway',
      url: server.url,
      async stop() {
        gateway.readiness.draining = true;
        await server.close();
        gateway.close();
        await gateway.routes.stop();
        redis?.disconnect();
      },
    };
  },
};
