/** @cartwheel/user: Accounts, credentials, JWT signing keys, refresh tokens, addresses and roles (PostgreSQL). Exports its ServiceDefinition as `service`. */
export {};
