// Stop Redis under a steady order load: the gateway keeps serving, its limits counted in memory
// meanwhile, and shares them through Redis again once a new (empty) Redis is up.
import { Redis } from 'ioredis';
import type { Check, FaultContext, FaultScenario } from './harness.js';
import { call, seedShoppers, until, type Shopper } from '../support/shop.js';

/** Per user and minute in this scenario: above the stream's share per shopper, below a probe's burst. */
const LIMIT = 300;
const BURST = LIMIT + 40;

/** Two fresh shoppers for the bursts, registered before Redis goes (sign-in is not what is tested). */
let probers: Shopper[] = [];

/** One shopper's burst of product reads: the statuses, and how many answers carried RateLimit headers. */
async function burst(context: FaultContext, prober: Shopper, label: string): Promise<Check> {
  const statuses: Record<string, number> = {};
  let remainingSeen = 0;
  const product = context.products[0].id;
  let sent = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (sent++ < BURST) {
        const reply = await call(context.cluster.gateway, 'GET', `/api/v1/products/${product}`, {
          token: prober.token,
        });
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        if (reply.headers.get('ratelimit-remaining') !== null) remainingSeen++;
      }
    }),
  );
  const limited = statuses['429'] ?? 0;
  return {
    ok: limited > 0 && (statuses['200'] ?? 0) <= LIMIT && remainingSeen === BURST,
    text:
      `${label}: a burst of ${BURST} reads by one shopper (limit ${LIMIT}/min) got ` +
      `${Object.entries(statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}, RateLimit headers on ${remainingSeen}`,
  };
}

async function limiterKeys(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return (await redis.keys('cartwheel:gateway:rl:*')).length;
  } finally {
    redis.disconnect();
  }
}

export const redisOutage: FaultScenario = {
  id: 'redis-outage',
  title: 'stop Redis for 20 s, start a new one',
  holdSec: 20,
  env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) },
  inject: async ({ servers, cluster }) => {
    probers = await seedShoppers(cluster.gateway, 2, `probe-${Date.now()}`);
    await servers.redis.stop();
  },
  restore: ({ servers }) => servers.redis.start(),
  during: async (context) => [await burst(context, probers[0], 'during the outage (in-memory limits)')],
  after: async (context) => {
    // Until the gateway has reconnected, its insurance limiter answers: wait for its keys in the new
    // Redis (the order stream writes them), so the burst measures the shared limits.
    const restarted = Date.now();
    await until(
      'the gateway writes its limits to the new Redis',
      async () => (await limiterKeys(context.servers.redis.url)) > 0,
      30_000,
    ).catch(() => undefined);
    const keys = await limiterKeys(context.servers.redis.url);
    const back = {
      ok: keys > 0,
      text: `the gateway's limiter writes to the new Redis again ${((Date.now() - restarted) / 1000).toFixed(1)} s after it started (${keys} keys)`,
    };
    return [back, await burst(context, probers[1], 'after the restart (limits in Redis)')];
  },
  verify: (run) => {
    const during = Object.entries(run.byPhase.during).filter(([status]) => status !== '201');
    return [
      {
        ok: during.length === 0,
        text: `orders during the outage: ${Object.entries(run.byPhase.during)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')} (no failures expected)`,
      },
    ];
  },
};
