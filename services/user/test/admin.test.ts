import { expect } from 'chai';
import { startUserApp, USER_FIELDS, type SignedUp, type UserApp } from './support.js';

describe('user service: admin', () => {
  let user: UserApp;
  let admin: SignedUp;

  before(async () => {
    user = await startUserApp();
    admin = await user.promote(await user.signUp());
  });

  after(async () => {
    await user.close();
  });

  const patchUser = (token: string, id: number, body: Record<string, unknown>) =>
    user.api.patch(`/api/v1/users/${id}`, { token, json: body });

  it('when an admin lists users, then a page comes back with X-Total-Count, limit and offset applied', async () => {
    for (let i = 0; i < 3; i += 1) await user.signUp();

    const first = await user.api.get('/api/v1/users?limit=2', { token: admin.accessToken });
    const second = await user.api.get('/api/v1/users?limit=2&offset=2', { token: admin.accessToken });

    const total = Number(first.headers.get('x-total-count'));
    expect(first.status).to.equal(200);
    expect(total).to.be.at.least(4);
    expect(first.body).to.have.length(2);
    expect(second.body[0].id).to.be.greaterThan(first.body[1].id);
    expect(first.body[0]).to.have.all.keys(...USER_FIELDS);
  });

  it('when the page size is above 100 or negative, then 400 names the query parameter', async () => {
    const big = await user.api.get('/api/v1/users?limit=101', { token: admin.accessToken });
    const negative = await user.api.get('/api/v1/users?offset=-1', { token: admin.accessToken });

    expect(big.status).to.equal(400);
    expect(big.body.errors[0].path).to.equal('query.limit');
    expect(negative.body.errors[0].path).to.equal('query.offset');
  });

  it('when a user (not admin) lists or patches users, then 403', async () => {
    const shopper = await user.signUp();

    const listed = await user.api.get('/api/v1/users', { token: shopper.accessToken });
    const patched = await patchUser(shopper.accessToken, shopper.id, { role: 'admin' });

    expect([listed.status, patched.status]).to.deep.equal([403, 403]);
  });

  it('when an admin promotes a user, then the role changes and the next token carries it', async () => {
    const shopper = await user.signUp();

    const patched = await patchUser(admin.accessToken, shopper.id, { role: 'admin' });
    const refreshed = await user.api.post('/api/v1/auth/refresh', {
      json: { refresh_token: shopper.refreshToken },
    });
    const list = await user.api.get('/api/v1/users', { token: refreshed.body.access_token });

    expect(patched.status).to.equal(200);
    expect(patched.body).to.deep.include({ id: shopper.id, role: 'admin' });
    expect(list.status).to.equal(200);
  });

  it('when an admin disables a user, then their sessions end and they cannot sign in', async () => {
    const shopper = await user.signUp();

    const patched = await patchUser(admin.accessToken, shopper.id, { is_active: false });
    const refreshed = await user.api.post('/api/v1/auth/refresh', {
      json: { refresh_token: shopper.refreshToken },
    });
    const login = await user.api.post('/api/v1/auth/login', {
      form: { username: shopper.email, password: shopper.password },
    });
    const me = await user.api.get('/api/v1/users/me', { token: shopper.accessToken });

    expect(patched.body.is_active).to.equal(false);
    expect(refreshed.status).to.be.oneOf([401, 403]);
    expect(login.status).to.equal(403);
    expect(me.status).to.equal(403);
  });

  it('when an admin was demoted, then their still-valid admin token no longer opens admin routes', async () => {
    const former = await user.promote(await user.signUp());
    await user.db('users').where({ id: former.id }).update({ role: 'user' });

    const response = await user.api.get('/api/v1/users', { token: former.accessToken });

    expect(response.status).to.equal(403);
  });

  it('when an admin changes their own role or active state, then 403 and nothing changes', async () => {
    const demote = await patchUser(admin.accessToken, admin.id, { role: 'user' });
    const disable = await patchUser(admin.accessToken, admin.id, { is_active: false });
    const me = await user.api.get('/api/v1/users/me', { token: admin.accessToken });

    expect([demote.status, disable.status]).to.deep.equal([403, 403]);
    expect(me.body).to.deep.include({ role: 'admin', is_active: true });
  });

  it('when the target does not exist or the body is invalid, then 404 or 400 naming the field', async () => {
    const missing = await patchUser(admin.accessToken, 987654321, { role: 'user' });
    const badRole = await patchUser(admin.accessToken, admin.id + 1, { role: 'service' });
    const readOnly = await patchUser(admin.accessToken, admin.id + 1, { email: 'x@example.com' });

    expect(missing.status).to.equal(404);
    expect(badRole.status).to.equal(400);
    expect(badRole.body.errors[0].path).to.equal('role');
    expect(readOnly.body.errors).to.deep.equal([{ path: 'email', message: 'is read-only' }]);
  });
});
