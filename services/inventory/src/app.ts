import {
  createServiceApp,
  pingDatabase,
  type Knex,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type TokenVerifier,
} from '@cartwheel/kit';
import type { Registry } from 'prom-client';
import { createInventoryStore, type InventoryStore } from './data-access/inventory.store.js';
import { inventoryRoutes } from './entry-points/http/inventory.routes.js';
import { reservationRoutes } from './entry-points/http/reservation.routes.js';

export interface AppDeps {
  db: Knex;
  verifier: TokenVerifier;
  logger: Logger;
  /** TTL of unconfirmed reservations (default 900 s). */
  reservationTtlSec?: number;
  /** Defaults to a store on `db` publishing to the `inventory` topic. */
  store?: InventoryStore;
  /** Checked by `/ready` besides the database. */
  readiness?: ReadinessCheck[];
  /** Served at `/metrics` (default: a new one); `startInventory` puts the inventory's own series in it. */
  registry?: Registry;
}

/**
 * The inventory HTTP app (no listening, no consumers): what tests mount on port 0.
 *
 * @example const { app } = createApp({ db, verifier, logger }); await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  const store = deps.store ?? createInventoryStore(deps.db);
  return createServiceApp({
    service: 'inventory',
    logger: deps.logger,
    registry: deps.registry,
    routers: [
      reservationRoutes({
        run: store.run,
        verifier: deps.verifier,
        reservationTtlSec: deps.reservationTtlSec ?? 900,
      }),
      inventoryRoutes({ run: store.run, queries: store.queries, verifier: deps.verifier }),
    ],
    readiness: [{ name: 'database', check: () => pingDatabase(deps.db) }, ...(deps.readiness ?? [])],
  });
}
