import { expect } from 'chai';
import { hashPassword, needsRehash, verifyPassword } from '../../src/domain/password-hash.js';
import { passwordProblems } from '../../src/domain/password-policy.js';

describe('passwordProblems', () => {
  it('accepts 8 to 128 characters with a letter and a digit', () => {
    expect(passwordProblems('Password123')).to.deep.equal([]);
    expect(passwordProblems(`a1${'x'.repeat(126)}`)).to.deep.equal([]);
  });

  it('names every broken rule at once', () => {
    expect(passwordProblems('!!!')).to.deep.equal([
      'must be at least 8 characters',
      'must contain a letter',
      'must contain a digit',
    ]);
  });

  it('counts characters, not UTF-16 units, and accepts letters and digits of any script', () => {
    expect(passwordProblems('пароль١٢٣')).to.deep.equal([]);
    expect(passwordProblems('😀😀😀😀a1')).to.deep.equal(['must be at least 8 characters']);
  });
});

describe('hashPassword / verifyPassword', () => {
  it('verifies the password it hashed and refuses any other', async () => {
    const hash = await hashPassword('Password123');

    expect(await verifyPassword('Password123', hash)).to.equal(true);
    expect(await verifyPassword('Password124', hash)).to.equal(false);
    expect(await verifyPassword('password123', hash)).to.equal(false);
  });

  it('salts every hash, so one password gives different hashes', async () => {
    expect(await hashPassword('Password123')).to.not.equal(await hashPassword('Password123'));
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const hash = await hashPassword('Caf\u00e9-2024');

    expect(await verifyPassword('Cafe\u0301-2024', hash)).to.equal(true);
  });

  it('never matches a malformed or out-of-range hash', async () => {
    expect(await verifyPassword('x', 'plain-text')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$ln=30,r=8,p=1$AAAA$AAAA')).to.equal(false);
  });

  it('reads older parameters from the hash itself and asks for a rehash', async () => {
    const hash = await hashPassword('Password123');
    const weaker = hash.replace('ln=15', 'ln=14');

    expect(needsRehash(hash)).to.equal(false);
    expect(needsRehash(weaker)).to.equal(true);
    expect(await verifyPassword('Password123', weaker)).to.equal(false);
  });
});
