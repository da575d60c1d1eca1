import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@cartwheel/kit';
import { expect } from 'chai';
import { calculateJwkThumbprint } from 'jose';
import { parsePrivateKeys } from '../../src/index.js';
import { privateKeyPem } from '../support.js';

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePrivateKeys', () => {
  it('reads concatenated RSA and EC keys in order: all published, the last one signs', async () => {
    const ring = await parsePrivateKeys(
      `${privateKeyPem('rsa')}\n${privateKeyPem('ec')}`,
      'JWT_PRIVATE_KEYS',
    );

    expect(ring.jwks.keys.map((k) => [k.kty, k.alg])).to.deep.equal([
      ['RSA', 'RS256'],
      ['EC', 'ES256'],
    ]);
    expect(ring.signing.kid).to.equal(ring.jwks.keys[1].kid);
    expect(ring.jwks.keys[1].kid).to.equal(await calculateJwkThumbprint(ring.jwks.keys[1]));
    expect(ring.jwks.keys.every((k) => k.d === undefined)).to.equal(true);
  });

  it('reads PKCS#1 and SEC1 PEMs as well as PKCS#8', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs1',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      format: 'pem',
      type: 'sec1',
    });

    const ring = await parsePrivateKeys(`${rsa}${ec}`, 'JWT_PRIVATE_KEYS');

    expect(ring.jwks.keys).to.have.length(2);
  });

  it('refuses short RSA keys and other curves, naming the variable and the key', async () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });

    const error = await configError(parsePrivateKeys(`${short}${p384}`, 'JWT_PRIVATE_KEYS'));

    expect(error.problems).to.deep.equal([
      'JWT_PRIVATE_KEYS: key 1 is an RSA key shorter than 2048 bits; use RSA ≥ 2048 bits (RS256) or EC P-256 (ES256)',
      'JWT_PRIVATE_KEYS: key 2 is an EC key on secp384r1; use RSA ≥ 2048 bits (RS256) or EC P-256 (ES256)',
    ]);
  });

  it('refuses text without a key, an unreadable key, and the same key twice', async () => {
    const pem = privateKeyPem();
    const broken = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----';

    expect((await configError(parsePrivateKeys('nothing here', 'X'))).problems).to.deep.equal([
      'X: no PEM private key found',
    ]);
    expect((await configError(parsePrivateKeys(broken, 'X'))).problems).to.deep.equal([
      'X: key 1 is not a readable unencrypted private key',
    ]);
    expect((await configError(parsePrivateKeys(pem + pem, 'X'))).problems).to.deep.equal([
      'X: the same key is listed twice',
    ]);
  });
});
