import { randomBytes, scryptSync } from 'node:crypto';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { eventually } from '@cartwheel/testing';
import { newAccount, SEED_ADDRESS, startUserApp, USER_FIELDS, type UserApp } from './support.js';

describe('user service: seed 000 steps 1.1–2, registration and login', () => {
  let user: UserApp;

  before(async () => {
    user = await startUserApp();
  });

  after(async () => {
    await user.close();
  });

  describe('seed walkthrough', () => {
    const seedEmail = `customer-${Date.now()}@example.com`;
    // The seed's expected account (steps 1.1 and 1.3), plus role.
    const seedAccount = {
      email: seedEmail,
      first_name: 'Example',
      last_name: 'Customer',
      phone: '555-123-4567',
      role: 'user',
      is_active: true,
      addresses: [],
    };
    let token: string;
    let userId: number;

    it('when the seed registers a customer (step 1.1), then 201 returns the seed fields plus role, never the password', async () => {
      const response = await user.api.post('/api/v1/auth/register', {
        json: {
          email: seedEmail,
          password: 'Password123',
          first_name: 'Example',
          last_name: 'Customer',
          phone: '555-123-4567',
        },
      });

      expect(response.status).to.equal(201);
      expect(response.body).to.have.all.keys(...USER_FIELDS);
      expect(response.body).to.deep.include(seedAccount);
      expect(response.body.id).to.be.a('number').and.to.be.greaterThan(0);
      expect(new Date(response.body.created_at).toISOString()).to.equal(response.body.created_at);
      expect(JSON.stringify(response.body)).to.not.match(/Password123|scrypt/);
      userId = response.body.id;
    });

    it('when the seed logs in form-encoded (step 1.2), then it gets a bearer access token and a refresh token', async () => {
      const response = await user.api.post('/api/v1/auth/login', {
        form: { username: seedEmail, password: 'Password123' },
      });

      expect(response.status).to.equal(200);
      expect(response.body).to.have.all.keys('access_token', 'refresh_token', 'token_type', 'expires_in');
      expect(response.body.token_type).to.equal('bearer');
      expect(response.body.expires_in).to.equal(900);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      const header = decodeProtectedHeader(response.body.access_token);
      expect(header).to.deep.include({ alg: 'ES256', kid: user.keys.signing.kid });
      const claims = decodeJwt(response.body.access_token);
      expect(claims).to.deep.include({
        iss: 'http://localhost:8080',
        aud: 'cartwheel',
        sub: String(userId),
        email: seedEmail,
        roles: ['user'],
      });
      expect(claims.exp! - claims.iat!).to.equal(900);
      expect(claims.jti).to.be.a('string');
      expect(response.body.refresh_token).to.match(/^[A-Za-z0-9_-]{43,}$/);
      token = response.body.access_token;
    });

    it('when the seed fetches /users/me with the token (step 1.3), then it sees the same account', async () => {
      const response = await user.api.get('/api/v1/users/me', { token });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ id: userId, ...seedAccount });
    });

    it('when the seed adds its address (step 2), then 201 echoes it with an id and /users/me embeds it', async () => {
      const created = await user.api.post('/api/v1/users/me/addresses', { token, json: SEED_ADDRESS });
      const me = await user.api.get('/api/v1/users/me', { token });

      expect(created.status).to.equal(201);
      expect(created.body).to.deep.equal({ id: created.body.id, ...SEED_ADDRESS });
      expect(created.body.id).to.be.a('number');
      expect(me.body.addresses).to.deep.equal([created.body]);
    });

    it('when the customer registered, then user.created is published on topic users through the outbox', async () => {
      await eventually('user.created to be published', () =>
        user.events.some((e) => e.subject === String(userId)),
      );

      const event = user.events.find((e) => e.subject === String(userId))!;
      expect(event).to.deep.include({ type: 'user.created', source: '/services/user', specversion: '1.0' });
      expect(event.data).to.deep.equal({
        id: String(userId),
        email: seedEmail,
        first_name: 'Example',
        last_name: 'Customer',
        role: 'user',
        created_at: (event.data as { created_at: string }).created_at,
      });
    });
  });

  describe('registration rules', () => {
    const register = (body: Record<string, unknown>) =>
      user.api.post('/api/v1/auth/register', { json: body });
    const fieldErrors = (body: { errors?: { path: string; message: string }[] }) =>
      Object.fromEntries((body.errors ?? []).map((e) => [e.path, e.message]));

    it('when the email is already registered in another letter case, then 409 names the email field and no second account exists', async () => {
      const account = newAccount();
      expect((await register(account)).status).to.equal(201);

      const again = await register({ ...account, email: `  ${account.email.toUpperCase()} ` });

      expect(again.status).to.equal(409);
      expect(again.headers.get('content-type')).to.contain('application/problem+json');
      expect(fieldErrors(again.body)).to.deep.equal({ email: 'is already registered' });
      const rows = await user.db('users').whereRaw('lower(email) = ?', [account.email]);
      expect(rows).to.have.length(1);
    });

    it('when an email is registered in capitals, then it is stored lower-cased and signs in with any case', async () => {
      const account = newAccount();
      const created = await register({ ...account, email: account.email.toUpperCase() });

      const login = await user.api.post('/api/v1/auth/login', {
        json: { email: account.email.replace(/^s/, 'S'), password: account.password },
      });

      expect(created.body.email).to.equal(account.email);
      expect(login.status).to.equal(200);
    });

    const weak: Array<[string, string, string]> = [
      ['short', 'Pass1', 'must be at least 8 characters'],
      ['without a digit', 'Passwordonly', 'must contain a digit'],
      ['without a letter', '1234567890', 'must contain a letter'],
      ['too long', `A1${'x'.repeat(127)}`, 'must be at most 128 characters'],
    ];
    for (const [what, password, message] of weak) {
      it(`when the password is ${what}, then 400 names password and says why`, async () => {
        const response = await register(newAccount({ password }));

        expect(response.status).to.equal(400);
        expect(response.body.errors).to.deep.include({ path: 'password', message });
      });
    }

    it('when the email is malformed, then 400 names the email field', async () => {
      const response = await register(newAccount({ email: 'not-an-email' }));

      expect(response.status).to.equal(400);
      expect(fieldErrors(response.body)).to.deep.equal({ email: 'must be a valid email address' });
    });

    it('when required fields are missing, then 400 names each of them', async () => {
      const response = await register({ phone: '555' });

      expect(response.status).to.equal(400);
      expect(fieldErrors(response.body)).to.deep.equal({
        email: 'is required',
        password: 'is required',
        first_name: 'is required',
        last_name: 'is required',
      });
    });

    it('when extra fields such as role are sent, then 400 names each one and nothing is created', async () => {
      const account = newAccount({ role: 'admin', is_admin: true });

      const response = await register(account);

      expect(response.status).to.equal(400);
      expect(fieldErrors(response.body)).to.deep.equal({
        role: 'is not a known field',
        is_admin: 'is not a known field',
      });
      expect(await user.db('users').where({ email: account.email })).to.have.length(0);
    });

    it('when fields are missing and unknown ones sent, then one answer names all of them', async () => {
      const response = await register({ email: 'x@example.com', password: 'Password123', nickname: 'x' });

      expect(response.status).to.equal(400);
      expect(fieldErrors(response.body)).to.deep.equal({
        first_name: 'is required',
        last_name: 'is required',
        nickname: 'is not a known field',
      });
    });

    it('when the body is a JSON array, then 400 rather than a crash', async () => {
      const response = await register([1, 2] as unknown as Record<string, unknown>);

      expect(response.status).to.equal(400);
    });

    it('when a name is blank, has a NUL character or is too long, then 400 names it instead of failing in the database', async () => {
      const response = await register(
        newAccount({ first_name: '   ', last_name: 'a\u0000b', phone: '5'.repeat(33) }),
      );

      expect(response.status).to.equal(400);
      expect(fieldErrors(response.body)).to.deep.equal({
        first_name: 'must not be blank',
        last_name: 'must not contain NUL characters',
        phone: 'must be at most 32 characters',
      });
    });

    it('when the body is not JSON, then 400 says so', async () => {
      const malformed = await fetch(`${user.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email": ',
      });

      expect(malformed.status).to.equal(400);
      expect(((await malformed.json()) as { errors: unknown[] }).errors).to.deep.equal([
        { path: 'body', message: 'not valid JSON' },
      ]);
    });

    it('when every string field holds SQL metacharacters, then they are stored and returned verbatim', async () => {
      const nasty = `Robert'); DROP TABLE users;-- "\\ %_ $1`;
      const account = newAccount({
        email: `o'brien+${Date.now()}@example.com`,
        password: `P4ss'; DROP TABLE users;--`,
        first_name: nasty,
        last_name: `' OR '1'='1`,
        phone: `'; select pg_sleep(5);--`,
      });

      const created = await register(account);
      const login = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });
      const nastyAddress = {
        line1: nasty,
        line2: `'; DELETE FROM addresses;--`,
        city: `" OR ""="`,
        state: `%' --`,
        postal_code: `1' OR 1=1`,
        country: `\\'; TRUNCATE users CASCADE;--`,
      };
      const address = await user.api.post('/api/v1/users/me/addresses', {
        token: login.body.access_token,
        json: nastyAddress,
      });

      expect(created.status).to.equal(201);
      expect(created.body).to.deep.include({
        email: account.email,
        first_name: nasty,
        last_name: `' OR '1'='1`,
        phone: `'; select pg_sleep(5);--`,
      });
      expect(login.status).to.equal(200);
      expect(address.status).to.equal(201);
      expect(address.body).to.deep.include(nastyAddress);
      const row = await user.db('users').where({ id: created.body.id }).first();
      expect(row.first_name).to.equal(nasty);
      expect(Number((await user.db('users').count('* as n').first())?.n)).to.be.greaterThan(1);
    });
  });

  describe('login', () => {
    it('when the password is wrong or the email unknown, then both get the same 401 body', async () => {
      const account = await user.signUp();

      const wrongPassword = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: 'Wrong-password1' },
      });
      const unknownEmail = await user.api.post('/api/v1/auth/login', {
        form: { username: `nobody-${Date.now()}@example.com`, password: 'Wrong-password1' },
      });

      expect(wrongPassword.status).to.equal(401);
      expect(unknownEmail.status).to.equal(401);
      const { request_id: _a, ...first } = wrongPassword.body;
      const { request_id: _b, ...second } = unknownEmail.body;
      expect(first).to.deep.equal(second);
      expect(first.detail).to.equal('Incorrect email or password');
    });

    it('when logging in with JSON and email instead of the form, then it works the same', async () => {
      const account = await user.signUp();

      const response = await user.api.post('/api/v1/auth/login', {
        json: { email: account.email, password: account.password },
      });

      expect(response.status).to.equal(200);
      expect(decodeJwt(response.body.access_token).sub).to.equal(String(account.id));
    });

    it('when neither username nor email is sent, then 400 names username', async () => {
      const response = await user.api.post('/api/v1/auth/login', { form: { password: 'Password123' } });

      expect(response.status).to.equal(400);
      expect(response.body.errors).to.deep.equal([{ path: 'username', message: 'is required (or email)' }]);
    });

    it('when the account is disabled, then the right password gets 403 and a wrong one still 401', async () => {
      const account = await user.signUp();
      await user.db('users').where({ id: account.id }).update({ is_active: false });

      const right = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });
      const wrong = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: 'Wrong-password1' },
      });

      expect(right.status).to.equal(403);
      expect(wrong.status).to.equal(401);
    });

    it('when an account still has a hash with older scrypt parameters, then a successful login upgrades it', async () => {
      const account = await user.signUp();
      const salt = randomBytes(16);
      const key = scryptSync(account.password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
      const old = `scrypt$ln=14,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
      await user.db('users').where({ id: account.id }).update({ password_hash: old });

      const response = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });

      expect(response.status).to.equal(200);
      const stored = (await user.db('users').where({ id: account.id }).first()).password_hash as string;
      expect(stored).to.match(/^scrypt\$ln=15,/);
    });

    it('when the password is stored, then it is an scrypt hash with its parameters and a per-user salt', async () => {
      const a = await user.signUp();
      const b = await user.signUp();

      const [hashA, hashB] = await Promise.all(
        [a, b].map(async (s) => (await user.db('users').where({ id: s.id }).first()).password_hash as string),
      );

      expect(hashA).to.match(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(hashA.split('$')[2]).to.not.equal(hashB.split('$')[2]);
    });
  });
});
