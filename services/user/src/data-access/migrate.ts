import { migrateLatest, type Knex } from '@cartwheel/kit';
import * as users from './migrations/001_users.js';
import * as outbox from './migrations/002_outbox.js';

/** Brings the schema up to date; run at every start (replicas take turns). */
export async function migrate(db: Knex): Promise<void> {
  await migrateLatest(db, { '001_users': users, '002_outbox': outbox });
}
