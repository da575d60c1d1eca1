import { AppError, validationError } from '@cartwheel/kit';
import type { UserDomain } from './context.js';
import { emailTaken, tooManyAttempts } from './errors.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import type { UserChanges } from './ports.js';
import { userCreated } from './user-events.js';
import { normalizeEmail, toUserView, type User, type UserView } from './user.js';

export interface Registration {
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  phone?: string | null;
}

/** Creates a `user` account and its `user.created` event in one transaction. */
export async function register(d: UserDomain, input: Registration): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  const user = await d.run(async (tx) => {
    const created = await tx.users.insert({
      email: normalizeEmail(input.email),
      password_hash: passwordHash,
      first_name: input.first_name,
      last_name: input.last_name,
      phone: input.phone ?? null,
      role: 'user',
    });
    if (created) await tx.publish([userCreated(created)]);
    return created;
  });
  if (!user) throw emailTaken();
  return toUserView(user, []);
}

/** The account with its addresses. */
export async function profile(d: UserDomain, user: User): Promise<UserView> {
  const addresses = await d.read.addresses.listFor([user.id]);
  return toUserView(user, addresses.get(user.id) ?? []);
}

export async function updateProfile(
  d: UserDomain,
  user: User,
  changes: Pick<UserChanges, 'first_name' | 'last_name' | 'phone'>,
): Promise<UserView> {
  const updated = Object.keys(changes).length > 0 ? await d.read.users.update(user.id, changes) : user;
  return profile(d, updated ?? user);
}

/**
 * Replaces the password after checking the current one (counted like a login attempt, so a
 * stolen access token cannot be used to guess it), and revokes every refresh token of the
 * account: other sessions must sign in again.
 */
export async function changePassword(
  d: UserDomain,
  user: User,
  input: { current_password: string; new_password: string },
  ip: string,
): Promise<void> {
  const hash = await d.read.users.passwordHash(user.id);
  if (!hash) {
    throw new AppError('password_managed_externally', 409, 'Conflict', {
      detail: 'This account signs in through an external identity provider and has no password here',
    });
  }
  const decision = await d.limiter.attempt(user.email, ip);
  if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSec);
  if (!(await verifyPassword(input.current_password, hash))) {
    throw validationError([{ path: 'current_password', message: 'is incorrect' }]);
  }
  await d.limiter.succeeded(user.email, ip);
  const newHash = await hashPassword(input.new_password);
  const now = d.now();
  await d.run(async (tx) => {
    await tx.users.update(user.id, { password_hash: newHash });
    await tx.refreshTokens.revokeAllOfUser(user.id, now);
  });
}
