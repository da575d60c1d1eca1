import { outboxMigration } from '@cartwheel/kit';

/** The transactional outbox `user.created` is written to (DESIGN §7). */
export const { up, down } = outboxMigration();
