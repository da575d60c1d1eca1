/** @cartwheel/inventory: stock levels and reservations that never oversell (PostgreSQL). Exports its ServiceDefinition as `service`. */
import { databaseFor, loadConfig, verifierFromConfig, type ServiceDefinition } from '@cartwheel/kit';
import { inventoryConfig } from './config.js';
import { startInventory } from './inventory.js';

export { createApp, type AppDeps } from './app.js';
export { inventoryConfig, type InventoryConfig } from './config.js';
export { migrate } from './data-access/migrate.js';
export { createInventoryStore, type InventoryStore } from './data-access/inventory.store.js';
export {
  DEFAULT_TOPICS,
  startInventory,
  type InventoryDeps,
  type InventoryTopics,
  type RunningInventory,
} from './inventory.js';

export const service: ServiceDefinition = {
  name: 'inventory',
  defaultPort: 8083,
  async start(runtime, port) {
    const config = loadConfig(inventoryConfig, runtime.env);
    return startInventory({
      db: databaseFor(runtime, 'inventory'),
      ownsDb: true,
      bus: runtime.bus,
      verifier: verifierFromConfig(config),
      logger: runtime.logger,
      port,
      reservationTtlSec: config.RESERVATION_TTL_SEC,
      sweepIntervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
  },
};
