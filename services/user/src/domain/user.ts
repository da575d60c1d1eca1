/** The roles a Cartwheel account can hold (`service` belongs to machine clients only). */
export type UserRole = 'user' | 'admin';

/** An account as stored (never with its password hash). */
export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  role: UserRole;
  is_active: boolean;
  /** ISO 8601 UTC. */
  created_at: string;
  /** Set for accounts provisioned from an external identity provider (Keycloak). */
  external_issuer: string | null;
  external_subject: string | null;
}

/** A postal address of one user (seed 000 step 2, plus `id`). */
export interface Address {
  id: number;
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postal_code: string;
  country: string;
  is_default: boolean;
}

export type AddressFields = Omit<Address, 'id'>;

/** What the API shows of an account (DESIGN §6 "user"): the seed's fields plus `role`. */
export type UserView = Omit<User, 'external_issuer' | 'external_subject'> & { addresses: Address[] };

export function toUserView(user: User, addresses: Address[]): UserView {
  return {
    id: user.id,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    phone: user.phone,
    role: user.role,
    is_active: user.is_active,
    created_at: user.created_at,
    addresses,
  };
}

/** Emails compare case-insensitively: stored and looked up trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
