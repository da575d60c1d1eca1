// Make the catalog slow for the order service: a TCP proxy between order and product holds every
// response chunk 3 s (above the order service's 2 s upstream timeout) for 20 s, then passes them again.
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import type { FaultScenario } from './harness.js';

const DELAY_MS = 3_000;
let proxy: DelayProxy | undefined;

export const slowCatalog: FaultScenario = {
  id: 'slow-catalog',
  title: `catalog 3 s slow for the order service (delaying proxy) for 20 s`,
  holdSec: 20,
  async prepare() {
    proxy = await startDelayProxy();
    const started = proxy;
    return {
      serviceEnv: { order: { PRODUCT_URL: started.url } },
      started: (cluster) => started.setTarget(cluster.urls.product),
      close: () => started.close(),
    };
  },
  inject: async () => proxy?.setDelay(DELAY_MS),
  restore: async () => proxy?.setDelay(0),
  verify: (run) => {
    const hung = run.byPhase.during.timeout ?? 0;
    return [
      {
        ok: hung === 0,
        text: `while the catalog was slow every order was answered before the client's 10 s timeout (${hung} hung): ${Object.entries(
          run.byPhase.during,
        )
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
      },
    ];
  },
};
