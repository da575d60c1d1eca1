import type { Knex } from 'knex';

/** Accounts, their addresses and refresh tokens (DESIGN §3: the user service owns them). */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table users (
      id bigint generated always as identity primary key,
      email text not null,
      password_hash text,
      first_name text not null,
      last_name text not null,
      phone text,
      role text not null default 'user' check (role in ('user', 'admin')),
      is_active boolean not null default true,
      external_issuer text,
      external_subject text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint users_external_identity_key unique (external_issuer, external_subject)
    )`);
  // Emails are stored normalised; the index makes uniqueness case-insensitive even so.
  await db.raw('create unique index users_email_key on users (lower(email))');
  await db.raw(`
    create table addresses (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      line1 text not null,
      line2 text,
      city text not null,
      state text,
      postal_code text not null,
      country text not null,
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
  await db.raw('create index addresses_user_idx on addresses (user_id, id)');
  // At most one default per user, whatever the application does.
  await db.raw('create unique index addresses_one_default_key on addresses (user_id) where is_default');
  await db.raw(`
    create table refresh_tokens (
      token_hash text primary key,
      family_id uuid not null,
      user_id bigint not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      rotated_at timestamptz,
      revoked_at timestamptz
    )`);
  await db.raw('create index refresh_tokens_family_idx on refresh_tokens (family_id)');
  await db.raw('create index refresh_tokens_user_idx on refresh_tokens (user_id) where revoked_at is null');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('refresh_tokens');
  await db.schema.dropTableIfExists('addresses');
  await db.schema.dropTableIfExists('users');
}
