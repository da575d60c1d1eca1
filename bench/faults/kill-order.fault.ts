// kill -9 the order service under a steady order load, then start it again (a supervisor's restart).
import type { FaultScenario } from './harness.js';

export const killOrder: FaultScenario = {
  id: 'kill-order',
  title: 'kill -9 the order service, start it again 5 s later',
  holdSec: 5,
  // Orders caught between their reservation and their insert leave a reservation no order.placed
  // will confirm: inventory releases it after this TTL (default 900 s, shortened so the run sees it).
  env: { RESERVATION_TTL_SEC: '20', RESERVATION_SWEEP_INTERVAL_MS: '2000' },
  settleSec: 60,
  inject: ({ cluster }) => cluster.kill('order', 'SIGKILL'),
  restore: ({ cluster }) => cluster.start('order'),
  verify: (run) => {
    const hung = run.byPhase.during.timeout ?? 0;
    return [
      {
        ok: hung === 0,
        text: `while the order service was down every request was answered (${hung} hung until the client's 10 s timeout)`,
      },
    ];
  },
};
