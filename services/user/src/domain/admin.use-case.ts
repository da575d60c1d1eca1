import { AppError, forbidden, notFound } from '@cartwheel/kit';
import type { UserDomain } from './context.js';
import type { Page } from './ports.js';
import { toUserView, type User, type UserRole, type UserView } from './user.js';

export async function listUsers(
  d: UserDomain,
  page: { limit: number; offset: number },
): Promise<Page<UserView>> {
  const { items, total } = await d.read.users.list(page);
  const addresses = await d.read.addresses.listFor(items.map((user) => user.id));
  return { items: items.map((user) => toUserView(user, addresses.get(user.id) ?? [])), total };
}

/**
 * An admin changes another account's role or active state. Nobody changes their own (no
 * self-promotion, no locking oneself out); a disabled account loses its sessions at once. Roles
 * of externally managed accounts follow their identity provider, so they are not changed here.
 */
export async function patchUser(
  d: UserDomain,
  actor: User,
  id: number,
  changes: { role?: UserRole; is_active?: boolean },
): Promise<UserView> {
  if (id === actor.id) throw forbidden('You cannot change your own role or active state');
  const now = d.now();
  const updated = await d.run(async (tx) => {
    const target = await tx.users.findById(id, { lock: true });
    if (!target) return undefined;
    if (changes.role !== undefined && changes.role !== target.role && target.external_issuer) {
      throw new AppError('role_managed_externally', 409, 'Conflict', {
        detail: 'This account’s role comes from its identity provider; change it there',
      });
    }
    if (changes.is_active === false) await tx.refreshTokens.revokeAllOfUser(id, now);
    return tx.users.update(id, changes);
  });
  if (!updated) throw notFound('User');
  const addresses = await d.read.addresses.listFor([id]);
  return toUserView(updated, addresses.get(id) ?? []);
}
