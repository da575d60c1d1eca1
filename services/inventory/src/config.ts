import { authConfig, commonConfig } from '@cartwheel/kit';
import { z } from 'zod';

const SECONDS_PER_WEEK = 7 * 24 * 3600;

/** The inventory service's environment (loaded once, in `service.start`). */
export const inventoryConfig = commonConfig.extend({
  ...authConfig.shape,
  /** How long a reservation not yet confirmed by `order.placed` holds its stock (DESIGN §8). */
  RESERVATION_TTL_SEC: z.coerce.number().int().min(1).max(SECONDS_PER_WEEK).default(900),
  /** How often each replica looks for expired, unconfirmed reservations to release. */
  RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});

export type InventoryConfig = z.output<typeof inventoryConfig>;
