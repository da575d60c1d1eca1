import { expect } from 'chai';
import { decodeJwt, SignJWT } from 'jose';
import { startUserApp, type SignedUp, type UserApp } from './support.js';

describe('user service: sessions, refresh tokens, profile and password', () => {
  let user: UserApp;

  before(async () => {
    user = await startUserApp();
  });

  after(async () => {
    await user.close();
  });

  const refresh = (token: string) =>
    user.api.post('/api/v1/auth/refresh', { json: { refresh_token: token } });

  describe('refresh', () => {
    it('when a refresh token is used, then new tokens come back, the refresh token is rotated and the session kept', async () => {
      const account = await user.signUp();

      const response = await refresh(account.refreshToken);

      expect(response.status).to.equal(200);
      expect(response.body.token_type).to.equal('bearer');
      expect(response.body.refresh_token).to.not.equal(account.refreshToken);
      expect(decodeJwt(response.body.access_token)).to.deep.include({
        sub: String(account.id),
        sid: decodeJwt(account.accessToken).sid,
      });
      const stored = await user.db('refresh_tokens').where({ user_id: account.id });
      expect(stored).to.have.length(2);
      expect(JSON.stringify(stored)).to.not.contain(response.body.refresh_token);
    });

    it('when a rotated refresh token is used again, then 401 and its whole family is revoked, the newest token included', async () => {
      const account = await user.signUp();
      const first = await refresh(account.refreshToken);
      const second = await refresh(first.body.refresh_token);

      const replay = await refresh(account.refreshToken);
      const newest = await refresh(second.body.refresh_token);

      expect(replay.status).to.equal(401);
      expect(newest.status).to.equal(401);
      const open = await user.db('refresh_tokens').where({ user_id: account.id }).whereNull('revoked_at');
      expect(open).to.have.length(0);
    });

    it('when another session of the same account is replayed, then only that family is revoked', async () => {
      const account = await user.signUp();
      const other = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });
      await refresh(account.refreshToken);

      await refresh(account.refreshToken);

      expect((await refresh(other.body.refresh_token)).status).to.equal(200);
    });

    it('when a refresh token is unknown, expired or missing, then 401 or 400', async () => {
      const account = await user.signUp();
      await user
        .db('refresh_tokens')
        .where({ user_id: account.id })
        .update({ expires_at: new Date(Date.now() - 1000) });

      const expired = await refresh(account.refreshToken);
      const unknown = await refresh('x'.repeat(43));
      const missing = await user.api.post('/api/v1/auth/refresh', { json: {} });

      expect(expired.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(missing.status).to.equal(400);
      expect(missing.body.errors).to.deep.equal([{ path: 'refresh_token', message: 'is required' }]);
    });

    it('when the account was disabled, then refreshing is refused with 403', async () => {
      const account = await user.signUp();
      await user.db('users').where({ id: account.id }).update({ is_active: false });

      expect((await refresh(account.refreshToken)).status).to.equal(403);
    });
  });

  describe('logout', () => {
    it('when logging out with the refresh token, then 204 and that token no longer refreshes', async () => {
      const account = await user.signUp();

      const response = await user.api.post('/api/v1/auth/logout', {
        json: { refresh_token: account.refreshToken },
      });

      expect(response.status).to.equal(204);
      expect((await refresh(account.refreshToken)).status).to.equal(401);
    });

    it('when logging out with only the access token, then that session ends and other sessions stay', async () => {
      const account = await user.signUp();
      const other = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });

      const response = await user.api.post('/api/v1/auth/logout', { token: account.accessToken, json: {} });

      expect(response.status).to.equal(204);
      expect((await refresh(account.refreshToken)).status).to.equal(401);
      expect((await refresh(other.body.refresh_token)).status).to.equal(200);
    });

    it('when the access token has expired but the refresh token is sent, then logout still ends the session', async () => {
      const account = await user.signUp();
      const expired = await new SignJWT({ roles: ['user'], sid: decodeJwt(account.accessToken).sid })
        .setProtectedHeader({ alg: user.keys.signing.alg, kid: user.keys.signing.kid })
        .setIssuer('http://localhost:8080')
        .setAudience('cartwheel')
        .setSubject(String(account.id))
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 600)
        .sign(user.keys.signing.privateKey);

      const response = await user.api.post('/api/v1/auth/logout', {
        token: expired,
        json: { refresh_token: account.refreshToken },
      });
      const withoutRefresh = await user.api.post('/api/v1/auth/logout', { token: expired, json: {} });

      expect(response.status).to.equal(204);
      expect((await refresh(account.refreshToken)).status).to.equal(401);
      expect(withoutRefresh.status).to.equal(401);
    });

    it('when logging out twice, then both answer 204', async () => {
      const account = await user.signUp();
      const body = { json: { refresh_token: account.refreshToken } };

      const statuses = [
        (await user.api.post('/api/v1/auth/logout', body)).status,
        (await user.api.post('/api/v1/auth/logout', body)).status,
      ];

      expect(statuses).to.deep.equal([204, 204]);
    });

    it('when neither a refresh token nor an access token is sent, then 400 names refresh_token', async () => {
      const response = await user.api.post('/api/v1/auth/logout', { json: {} });

      expect(response.status).to.equal(400);
      expect(response.body.errors[0].path).to.equal('refresh_token');
    });
  });

  describe('password change', () => {
    const changePassword = (account: SignedUp, body: Record<string, unknown>) =>
      user.api.put('/api/v1/users/me/password', { token: account.accessToken, json: body });

    it('when the password is changed, then 204, every refresh token is revoked, and only the new password signs in', async () => {
      const account = await user.signUp();
      const other = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });

      const response = await changePassword(account, {
        current_password: account.password,
        new_password: 'NewPassword456',
      });

      expect(response.status).to.equal(204);
      expect((await refresh(account.refreshToken)).status).to.equal(401);
      expect((await refresh(other.body.refresh_token)).status).to.equal(401);
      const oldLogin = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: account.password },
      });
      const newLogin = await user.api.post('/api/v1/auth/login', {
        form: { username: account.email, password: 'NewPassword456' },
      });
      expect([oldLogin.status, newLogin.status]).to.deep.equal([401, 200]);
    });

    it('when the current password is wrong, then 400 names current_password and nothing changes', async () => {
      const account = await user.signUp();

      const response = await changePassword(account, {
        current_password: 'Not-the-password1',
        new_password: 'NewPassword456',
      });

      expect(response.status).to.equal(400);
      expect(response.body.errors).to.deep.equal([{ path: 'current_password', message: 'is incorrect' }]);
      expect((await refresh(account.refreshToken)).status).to.equal(200);
    });

    it('when the new password is weak, then 400 names new_password', async () => {
      const account = await user.signUp();

      const response = await changePassword(account, {
        current_password: account.password,
        new_password: 'short',
      });

      expect(response.status).to.equal(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).to.include('new_password');
    });
  });

  describe('profile', () => {
    it('when first_name, last_name and phone are patched, then they change and the rest stays', async () => {
      const account = await user.signUp();

      const response = await user.api.patch('/api/v1/users/me', {
        token: account.accessToken,
        json: { first_name: 'Exa', last_name: 'Mple', phone: null },
      });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({
        id: account.id,
        email: account.email,
        first_name: 'Exa',
        last_name: 'Mple',
        phone: null,
        role: 'user',
      });
    });

    it('when read-only or unknown fields are patched, then 400 names each and nothing changes', async () => {
      const account = await user.signUp();

      const response = await user.api.patch('/api/v1/users/me', {
        token: account.accessToken,
        json: { first_name: 'Mallory', role: 'admin', email: 'x@example.com', favourite: 'blue' },
      });
      const me = await user.api.get('/api/v1/users/me', { token: account.accessToken });

      expect(response.status).to.equal(400);
      expect(response.body.errors).to.deep.equal([
        { path: 'role', message: 'is read-only' },
        { path: 'email', message: 'is read-only' },
        { path: 'favourite', message: 'is not a known field' },
      ]);
      expect(me.body).to.deep.include({ first_name: 'Example', role: 'user', email: account.email });
    });

    it('when an empty patch is sent, then 400', async () => {
      const account = await user.signUp();

      const response = await user.api.patch('/api/v1/users/me', { token: account.accessToken, json: {} });

      expect(response.status).to.equal(400);
    });
  });
});
