import { migrateLatest, type Knex } from '@cartwheel/kit';
import * as orders from './migrations/20250701000000_create_orders.js';
import * as outbox from './migrations/20250701000100_create_outbox.js';

/** Brings the schema up to date; run at every start (replicas take turns). */
export async function migrate(db: Knex): Promise<void> {
  await migrateLatest(db, {
    '20250701000000_create_orders': orders,
    '20250701000100_create_outbox': outbox,
  });
}
