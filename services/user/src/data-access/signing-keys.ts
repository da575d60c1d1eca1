import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@cartwheel/kit';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { keyRing, type KeyRing, type SigningKey } from '../domain/access-tokens.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** The key file embedded mode generates under `<dataDir>/user/keys/` when no key is configured. */
export const GENERATED_KEY_FILE = 'signing-key.pem';

function algorithmOf(key: KeyObject): SigningKey['alg'] | string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    return (details.modulusLength ?? 0) >= 2048 ? 'RS256' : 'an RSA key shorter than 2048 bits';
  }
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1' ? 'ES256' : `an EC key on ${details.namedCurve}`;
  }
  return `a ${key.asymmetricKeyType} key`;
}

async function toSigningKey(privateKey: KeyObject, alg: SigningKey['alg']): Promise<SigningKey> {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, alg, privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/**
 * Parses one or more concatenated PEM private keys (PKCS#8, or PKCS#1/SEC1), in order. Only
 * RS256 (RSA ≥ 2048 bits) and ES256 (P-256) keys are accepted; `source` names the variable in
 * errors.
 */
export async function parsePrivateKeys(pem: string, source: string): Promise<KeyRing> {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new ConfigError([`${source}: no PEM private key found`]);
  const problems: string[] = [];
  const keys: SigningKey[] = [];
  for (const [index, block] of blocks.entries()) {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(block);
    } catch {
      problems.push(`${source}: key ${index + 1} is not a readable unencrypted private key`);
      continue;
    }
    const alg = algorithmOf(privateKey);
    if (alg === 'RS256' || alg === 'ES256') keys.push(await toSigningKey(privateKey, alg));
    else
      problems.push(`${source}: key ${index + 1} is ${alg}; use RSA ≥ 2048 bits (RS256) or EC P-256 (ES256)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const kids = new Set(keys.map((key) => key.kid));
  if (kids.size !== keys.length) throw new ConfigError([`${source}: the same key is listed twice`]);
  return keyRing(keys);
}

/** Reads `file`, or creates it with a new ES256 key (owner-only permissions) when it does not exist. */
function readOrCreateKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    // `wx`: if another process created it meanwhile, keep theirs.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8');
  }
}

export interface KeySource {
  /** JWT_PRIVATE_KEYS */
  pem?: string;
  /** JWT_PRIVATE_KEYS_FILE */
  file?: string;
  /** `<dataDir>/user/keys`, used when neither is set. */
  keyDir: string;
}

/**
 * The signing keys, from the first source that is set: JWT_PRIVATE_KEYS, JWT_PRIVATE_KEYS_FILE,
 * or a key generated once and kept under `keyDir` so tokens survive restarts.
 */
export async function loadSigningKeys(source: KeySource): Promise<{ keys: KeyRing; origin: string }> {
  if (source.pem)
    return { keys: await parsePrivateKeys(source.pem, 'JWT_PRIVATE_KEYS'), origin: 'JWT_PRIVATE_KEYS' };
  if (source.file) {
    let pem: string;
    try {
      pem = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new ConfigError([
        `JWT_PRIVATE_KEYS_FILE: cannot read ${source.file} (${(error as Error).message})`,
      ]);
    }
    return { keys: await parsePrivateKeys(pem, 'JWT_PRIVATE_KEYS_FILE'), origin: source.file };
  }
  const file = path.join(source.keyDir, GENERATED_KEY_FILE);
  return { keys: await parsePrivateKeys(readOrCreateKeyFile(file), file), origin: file };
}
