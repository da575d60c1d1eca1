import { conflict, forbidden, unauthorized, type Identity } from '@cartwheel/kit';
import type { UserDomain } from './context.js';
import { accountDisabled } from './errors.js';
import { userCreated } from './user-events.js';
import { normalizeEmail, type User, type UserRole } from './user.js';

const OWN_SUBJECT = /^[1-9]\d{0,15}$/;

const roleFrom = (identity: Identity): UserRole => (identity.roles.includes('admin') ? 'admin' : 'user');

const claim = (identity: Identity, name: string): string =>
  typeof identity.claims[name] === 'string' ? (identity.claims[name] as string) : '';

/**
 * The local account behind a verified token. Our own tokens name it by id. A token from an
 * external issuer (Keycloak) names an (issuer, subject) pair: its account is provisioned on first
 * sight from the token's email and names, and its role follows the realm's roles. Service
 * tokens have no account; disabled accounts are refused.
 */
export async function resolveCaller(d: UserDomain, identity: Identity): Promise<User> {
  let user: User | undefined;
  if (identity.issuer === d.tokens.issuer) {
    if (!OWN_SUBJECT.test(identity.subject)) throw forbidden('Service accounts have no user profile');
    user = await d.read.users.findById(Number(identity.subject));
    if (!user) throw unauthorized('The account of this token no longer exists');
  } else {
    user = await d.read.users.findByExternal(identity.issuer, identity.subject);
    if (!user) user = await provision(d, identity);
    else if (user.role !== roleFrom(identity)) {
      user = (await d.read.users.update(user.id, { role: roleFrom(identity) })) ?? user;
    }
  }
  if (!user.is_active) throw accountDisabled();
  return user;
}

async function provision(d: UserDomain, identity: Identity): Promise<User> {
  const email = identity.email ? normalizeEmail(identity.email) : '';
  if (email === '') throw forbidden('The identity provider did not share an email address for this account');
  const created = await d.run(async (tx) => {
    const user = await tx.users.insert({
      email,
      password_hash: null,
      first_name: claim(identity, 'given_name'),
      last_name: claim(identity, 'family_name'),
      phone: null,
      role: roleFrom(identity),
      external_issuer: identity.issuer,
      external_subject: identity.subject,
    });
    if (user) await tx.publish([userCreated(user)]);
    return user;
  });
  if (created) return created;
  // Lost a race with a concurrent first request of the same subject, or the email is a local account's.
  const raced = await d.read.users.findByExternal(identity.issuer, identity.subject);
  if (raced) return raced;
  throw conflict(
    'email_taken',
    'An account with this email already exists here; an external identity cannot take it over',
  );
}
