import type { CloudEvent } from '@cartwheel/kit';
import type { Address, AddressFields, User, UserRole } from './user.js';

export interface NewUser {
  email: string;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  role: UserRole;
  external_issuer?: string;
  external_subject?: string;
}

export type UserChanges = Partial<
  Pick<User, 'first_name' | 'last_name' | 'phone' | 'role' | 'is_active'> & { password_hash: string }
>;

export interface Page<T> {
  items: T[];
  total: number;
}

export interface UserRepository {
  /** Inserts unless the email (or external identity) is taken; undefined when it was. */
  insert(user: NewUser): Promise<User | undefined>;
  /** `lock` takes a row lock until the transaction ends (serialises writes to one account). */
  findById(id: number, options?: { lock?: boolean }): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  /** The account and its password hash in one query (login takes the same path whether or not it exists). */
  findCredentials(email: string): Promise<{ user: User; passwordHash: string | null } | undefined>;
  findByExternal(issuer: string, subject: string): Promise<User | undefined>;
  /** The stored password hash; null for accounts without a password (external identities). */
  passwordHash(id: number): Promise<string | null | undefined>;
  update(id: number, changes: UserChanges): Promise<User | undefined>;
  list(page: { limit: number; offset: number }): Promise<Page<User>>;
  /** True when at least one active admin exists. */
  hasActiveAdmin(): Promise<boolean>;
}

export interface AddressRepository {
  /** Addresses of each user, in id order. */
  listFor(userIds: number[]): Promise<Map<number, Address[]>>;
  count(userId: number): Promise<number>;
  insert(userId: number, fields: AddressFields): Promise<Address>;
  /** Only the owner's address is touched: another user's id is not found. */
  update(userId: number, id: number, changes: Partial<AddressFields>): Promise<Address | undefined>;
  remove(userId: number, id: number): Promise<boolean>;
  /** Clears the owner's default flag everywhere but on `exceptId`. */
  clearDefault(userId: number, exceptId?: number): Promise<void>;
}

export interface RefreshTokenRecord {
  token_hash: string;
  family_id: string;
  user_id: number;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

export interface RefreshTokenRepository {
  insert(
    record: Pick<RefreshTokenRecord, 'token_hash' | 'family_id' | 'user_id' | 'expires_at'>,
  ): Promise<void>;
  findForUpdate(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks the token spent; false when it already was (a concurrent rotation won). */
  markRotated(tokenHash: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<number>;
  revokeAllOfUser(userId: number, at: Date): Promise<number>;
}

/** Everything a use case may do inside one database transaction. */
export interface UserTx {
  users: UserRepository;
  addresses: AddressRepository;
  refreshTokens: RefreshTokenRepository;
  /** Writes events to the outbox (topic `users`), committed with the transaction. */
  publish(events: CloudEvent[]): Promise<void>;
}

/** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
export type RunInTransaction = <T>(work: (tx: UserTx) => Promise<T>) => Promise<T>;

/** What a login attempt may do next. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

/**
 * Brute-force protection: every attempt counts against the account and the client IP until it
 * succeeds; a success clears the account's count and refunds the IP's.
 */
export interface LoginLimiter {
  attempt(account: string, ip: string): Promise<LimitDecision>;
  succeeded(account: string, ip: string): Promise<void>;
}
