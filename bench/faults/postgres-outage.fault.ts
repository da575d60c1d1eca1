// Stop PostgreSQL (pg_ctl stop -m fast) for 10 s under a steady order load, then start it again.
import type { FaultScenario } from './harness.js';

export const postgresOutage: FaultScenario = {
  id: 'postgres-outage',
  title: 'stop PostgreSQL for 10 s (pg_ctl stop -m fast), start it again',
  holdSec: 10,
  // An order reserved just before the outage whose insert failed may leave a reservation only the
  // TTL releases (the compensation's own call can fail too while the database is gone).
  env: { RESERVATION_TTL_SEC: '45', RESERVATION_SWEEP_INTERVAL_MS: '2000' },
  settleSec: 90,
  inject: ({ servers }) => servers.postgres.stop(),
  restore: ({ servers }) => servers.postgres.start(),
};
