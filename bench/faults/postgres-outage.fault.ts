// Stop PostgreSQL (pg_ctl stop -m fast) for 10 s under a steady order load, then start it again.
// Right before the stop a burst of orders puts order.placed events in flight (published, not yet
// applied by inventory): the moment an outage is most likely to lose something.
import { call } from '../support/shop.js';
import type { FaultContext, FaultScenario } from './harness.js';

const BURST = 60;

/** Places `BURST` one-unit orders, 20 at a time, and remembers the acknowledged ones. */
async function orderBurst({ cluster, products, shoppers, acknowledged }: FaultContext): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < BURST) {
        const i = next++;
        const reply = await call(cluster.gateway, 'POST', '/api/v1/orders', {
          token: shoppers[i % shoppers.length].token,
          json: { items: [{ product_id: products[i % products.length].id, quantity: 1 }] },
        });
        if (reply.status === 201) acknowledged.push(reply.body._id as string);
      }
    }),
  );
}

export const postgresOutage: FaultScenario = {
  id: 'postgres-outage',
  title: `stop PostgreSQL for 10 s (pg_ctl stop -m fast) right after a burst of ${BURST} orders, start it again`,
  holdSec: 10,
  // An order reserved just before the outage whose insert failed may leave a reservation only the
  // TTL releases (the compensation's own call can fail too while the database is gone).
  env: { RESERVATION_TTL_SEC: '45', RESERVATION_SWEEP_INTERVAL_MS: '2000' },
  settleSec: 90,
  inject: async (context) => {
    await orderBurst(context);
    await context.servers.postgres.stop();
  },
  restore: ({ servers }) => servers.postgres.start(),
};
