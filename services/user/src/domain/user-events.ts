import { createEvent, type CloudEvent } from '@cartwheel/kit';
import type { User } from './user.js';

/** The topic the user service publishes on (DESIGN §7). */
export const USERS_TOPIC = 'users';
const SOURCE = '/services/user';

/** `user.created` (common brief "Event contracts"): id as a string, as Kafka keys are. */
export function userCreated(user: User): CloudEvent {
  return createEvent({
    source: SOURCE,
    type: 'user.created',
    subject: String(user.id),
    data: {
      id: String(user.id),
      email: user.email,
      first_name: user.first_name,
      last_name: user.last_name,
      role: user.role,
      created_at: user.created_at,
    },
  });
}
