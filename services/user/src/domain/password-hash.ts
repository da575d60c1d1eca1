import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt from node:crypto (memory-hard; no native addon to build). The parameters are stored in
 * every hash — `scrypt$ln=15,r=8,p=1$<salt>$<key>` — so they can be raised later without
 * invalidating existing hashes.
 */
interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

const CURRENT: ScryptParams = { ln: 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // Node's default maxmem (32 MiB) is exactly scrypt's 128·N·r at ln=15, which it refuses.
    maxmem: 256 * N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes `password` with a fresh random salt; the result is self-describing. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, CURRENT, KEY_BYTES);
  const { ln, r, p } = CURRENT;
  return `scrypt$ln=${ln},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `encoded`; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = FORMAT.exec(encoded);
  if (!match) return false;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.r > 16 || params.p < 1) return false;
  const salt = Buffer.from(match[4], 'base64url');
  const expected = Buffer.from(match[5], 'base64url');
  const actual = await derive(password, salt, params, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Verifies against a hash of a random password nobody knows, so a login for an unknown email
 * costs the same scrypt work as one for a real account (no user enumeration by timing).
 */
export function createDummyVerifier(): (password: string) => Promise<false> {
  const dummy = hashPassword(randomBytes(24).toString('base64url'));
  return async (password) => {
    await verifyPassword(password, await dummy);
    return false;
  };
}

/** True when `encoded` was made with weaker parameters than today's (rehash on next login). */
export function needsRehash(encoded: string): boolean {
  const match = FORMAT.exec(encoded);
  return !match || Number(match[1]) < CURRENT.ln || Number(match[2]) < CURRENT.r;
}
