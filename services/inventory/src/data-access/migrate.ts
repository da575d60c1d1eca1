import { migrateLatest, type Knex } from '@cartwheel/kit';
import * as inventory from './migrations/20250601000000_create_inventory.js';
import * as outbox from './migrations/20250601000100_create_outbox_and_processed_events.js';

/** Brings the schema up to date; run at every start (replicas take turns). */
export async function migrate(db: Knex): Promise<void> {
  await migrateLatest(db, {
    '20250601000000_create_inventory': inventory,
    '20250601000100_create_outbox_and_processed_events': outbox,
  });
}
