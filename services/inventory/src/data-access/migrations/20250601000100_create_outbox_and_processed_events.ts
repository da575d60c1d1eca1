import { ensureProcessedEventsTable, outboxMigration, PROCESSED_EVENTS_TABLE } from '@cartwheel/kit';
import type { Knex } from 'knex';

/** The kit's outbox (events committed with the change) and idempotent-consumer tables. */
export async function up(db: Knex): Promise<void> {
  await outboxMigration().up(db);
  await ensureProcessedEventsTable(db);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists(PROCESSED_EVENTS_TABLE);
  await outboxMigration().down?.(db);
}
