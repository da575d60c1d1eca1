import { enqueueEvents, type Knex } from '@cartwheel/kit';
import type { RunInTransaction, UserTx } from '../domain/ports.js';
import { USERS_TOPIC } from '../domain/user-events.js';
import { addressRepository } from './address.repository.js';
import { refreshTokenRepository } from './refresh-token.repository.js';
import type { Conn } from './rows.js';
import { userRepository } from './user.repository.js';

export interface UserStore {
  run: RunInTransaction;
  read: UserTx;
}

function repositories(conn: Conn, onPublish: () => void): UserTx {
  return {
    users: userRepository(conn),
    addresses: addressRepository(conn),
    refreshTokens: refreshTokenRepository(conn),
    async publish(events) {
      await enqueueEvents(conn, USERS_TOPIC, events);
      onPublish();
    },
  };
}

/**
 * The user service's data access on `db`. `afterPublish` runs once a transaction that wrote
 * events has committed (the outbox relay's `notify`, so events leave at once rather than at the
 * next poll).
 */
export function createUserStore(db: Knex, afterPublish: () => void = () => {}): UserStore {
  return {
    run: async (work) => {
      let published = false;
      const result = await db.transaction((trx) =>
        work(
          repositories(trx, () => {
            published = true;
          }),
        ),
      );
      if (published) afterPublish();
      return result;
    },
    read: repositories(db, afterPublish),
  };
}
