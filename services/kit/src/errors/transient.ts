/** Socket-level failures: the peer is down, restarting or unreachable, not wrong about our data. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // nodemailer's names for a connection that failed or broke
  'ECONNECTION',
  'ESOCKET',
]);

/** PostgreSQL SQLSTATEs that say "try again": shutdown, not accepting connections, overload, conflicts. */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

/** Messages of drivers that throw a plain Error when the connection goes away. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i, // pg
  /timeout acquiring a connection/i, // knex pool
  /timeout exceeded when trying to connect/i, // pg pool
  /connection is closed/i, // ioredis
];

const TRANSIENT_NAMES = new Set([
  'KnexTimeoutError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
]);

function isTransientOne(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, status, responseCode, transient } = error as Record<string, unknown>;
  if (transient === true) return true;
  if (typeof code === 'string') {
    if (TRANSIENT_SOCKET_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (/^08/.test(code) && code.length === 5) return true; // SQLSTATE class 08: connection exception
  }
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  // An upstream of ours that is down or late (the HTTP client's 503/504), or SMTP's 4xx "try later".
  if (status === 503 || status === 504) return true;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 500) return true;
  return typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Whether `error` (or an error in its `cause` chain, or in an AggregateError) says a dependency is
 * unavailable for now — a database, broker, mail server or upstream service that is down,
 * restarting or overloaded — rather than that the work itself is wrong. Consumers wait for such
 * an error to pass instead of parking the event; anything else counts as a poison message. Code
 * can mark its own errors with `transient: true`.
 *
 * @example if (!isTransientError(error) && attempt >= maxAttempts) await deadLetter(error);
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (seen.has(current)) continue;
    seen.add(current);
    if (isTransientOne(current)) return true;
    if (current instanceof AggregateError) pending.push(...(current.errors as unknown[]));
    if (current instanceof Error && current.cause !== undefined) pending.push(current.cause);
  }
  return false;
}
