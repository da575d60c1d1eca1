import { notFound } from '@cartwheel/kit';
import type { UserDomain } from './context.js';
import type { Address, AddressFields, User } from './user.js';

export type NewAddress = Omit<AddressFields, 'is_default' | 'line2' | 'state'> &
  Partial<Pick<AddressFields, 'is_default' | 'line2' | 'state'>>;

const addressNotFound = () => notFound('Address');

export async function listAddresses(d: UserDomain, user: User): Promise<Address[]> {
  return (await d.read.addresses.listFor([user.id])).get(user.id) ?? [];
}

/**
 * Adds an address. The first address of an account becomes its default; a new default unsets the
 * previous one in the same transaction. The owner's row is locked first, so concurrent address
 * writes of one account queue instead of both keeping a default.
 */
export async function addAddress(d: UserDomain, user: User, input: NewAddress): Promise<Address> {
  return d.run(async (tx) => {
    await tx.users.findById(user.id, { lock: true });
    const isDefault = input.is_default === true || (await tx.addresses.count(user.id)) === 0;
    if (isDefault) await tx.addresses.clearDefault(user.id);
    return tx.addresses.insert(user.id, {
      line1: input.line1,
      line2: input.line2 ?? null,
      city: input.city,
      state: input.state ?? null,
      postal_code: input.postal_code,
      country: input.country,
      is_default: isDefault,
    });
  });
}

/** Changes the owner's address `id`; someone else's id is a 404, as if it did not exist. */
export async function updateAddress(
  d: UserDomain,
  user: User,
  id: number,
  changes: Partial<AddressFields>,
): Promise<Address> {
  const updated = await d.run(async (tx) => {
    await tx.users.findById(user.id, { lock: true });
    if (changes.is_default === true) await tx.addresses.clearDefault(user.id, id);
    return tx.addresses.update(user.id, id, changes);
  });
  if (!updated) throw addressNotFound();
  return updated;
}

export async function removeAddress(d: UserDomain, user: User, id: number): Promise<void> {
  if (!(await d.read.addresses.remove(user.id, id))) throw addressNotFound();
}
