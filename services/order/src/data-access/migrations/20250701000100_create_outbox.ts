import { outboxMigration } from '@cartwheel/kit';
import type { Knex } from 'knex';

/** The kit's outbox: order events commit with the change that causes them. */
export async function up(db: Knex): Promise<void> {
  await outboxMigration().up(db);
}

export async function down(db: Knex): Promise<void> {
  await outboxMigration().down?.(db);
}
