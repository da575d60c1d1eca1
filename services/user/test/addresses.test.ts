import { expect } from 'chai';
import { SEED_ADDRESS, startUserApp, type SignedUp, type UserApp } from './support.js';

const { is_default: _default, ...home } = SEED_ADDRESS;
const office = {
  line1: '1 Office Park',
  city: 'Work Town',
  postal_code: '99999',
  country: 'Example Country',
};

describe('user service: addresses', () => {
  let user: UserApp;

  before(async () => {
    user = await startUserApp();
  });

  after(async () => {
    await user.close();
  });

  const add = (account: SignedUp, body: Record<string, unknown>) =>
    user.api.post('/api/v1/users/me/addresses', { token: account.accessToken, json: body });
  const list = async (account: SignedUp) =>
    (await user.api.get('/api/v1/users/me/addresses', { token: account.accessToken })).body as Array<{
      id: number;
      is_default: boolean;
    }>;
  const defaults = async (account: SignedUp) =>
    (await list(account)).filter((a) => a.is_default).map((a) => a.id);

  it('when the first address is added without is_default, then it becomes the default; optional fields are null', async () => {
    const account = await user.signUp();

    const created = await add(account, office);

    expect(created.status).to.equal(201);
    expect(created.body).to.deep.equal({
      id: created.body.id,
      ...office,
      line2: null,
      state: null,
      is_default: true,
    });
  });

  it('when a new default is added, then the previous default is unset and exactly one default remains', async () => {
    const account = await user.signUp();
    const first = await add(account, home);
    const second = await add(account, { ...office, is_default: true });

    expect(await defaults(account)).to.deep.equal([second.body.id]);
    expect((await list(account)).map((a) => a.id)).to.deep.equal([first.body.id, second.body.id]);
  });

  it('when a non-default address is added, then the default stays where it was', async () => {
    const account = await user.signUp();
    const first = await add(account, home);

    await add(account, office);

    expect(await defaults(account)).to.deep.equal([first.body.id]);
  });

  it('when an address is patched to default, then the old default is unset in the same change', async () => {
    const account = await user.signUp();
    const first = await add(account, home);
    const second = await add(account, office);

    const patched = await user.api.patch(`/api/v1/users/me/addresses/${second.body.id}`, {
      token: account.accessToken,
      json: { is_default: true, city: 'New City' },
    });

    expect(patched.status).to.equal(200);
    expect(patched.body).to.deep.include({ id: second.body.id, is_default: true, city: 'New City' });
    expect(await defaults(account)).to.deep.equal([second.body.id]);
    expect(first.body.is_default).to.equal(true);
  });

  it('when many defaults are set at once, then one default remains and none of the writes fails', async () => {
    const account = await user.signUp();
    const ids = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await add(account, { ...office, line1: `No ${i}` })).body.id as number);

    const statuses = await Promise.all(
      ids.map(
        async (id) =>
          (
            await user.api.patch(`/api/v1/users/me/addresses/${id}`, {
              token: account.accessToken,
              json: { is_default: true },
            })
          ).status,
      ),
    );

    expect(statuses).to.deep.equal([200, 200, 200, 200, 200]);
    expect(await defaults(account)).to.have.length(1);
  });

  it("when someone else's address id is patched or deleted, then 404 and it is untouched", async () => {
    const owner = await user.signUp();
    const intruder = await user.signUp();
    const address = await add(owner, home);

    const patched = await user.api.patch(`/api/v1/users/me/addresses/${address.body.id}`, {
      token: intruder.accessToken,
      json: { city: 'Stolen' },
    });
    const deleted = await user.api.delete(`/api/v1/users/me/addresses/${address.body.id}`, {
      token: intruder.accessToken,
    });

    expect([patched.status, deleted.status]).to.deep.equal([404, 404]);
    expect(await list(owner)).to.deep.equal([address.body]);
  });

  it('when an id is not a number, then 404 like any unknown id', async () => {
    const account = await user.signUp();

    const response = await user.api.delete('/api/v1/users/me/addresses/abc', { token: account.accessToken });
    const huge = await user.api.delete('/api/v1/users/me/addresses/99999999999999999999', {
      token: account.accessToken,
    });

    expect([response.status, huge.status]).to.deep.equal([404, 404]);
  });

  it('when an address is deleted, then 204 and it is gone', async () => {
    const account = await user.signUp();
    const address = await add(account, home);

    const deleted = await user.api.delete(`/api/v1/users/me/addresses/${address.body.id}`, {
      token: account.accessToken,
    });

    expect(deleted.status).to.equal(204);
    expect(await list(account)).to.deep.equal([]);
  });

  it('when required fields are missing or unknown ones sent, then 400 names them', async () => {
    const account = await user.signUp();

    const missing = await add(account, { line1: 'x' });
    const unknown = await add(account, { ...home, street_number: 4 });
    const emptyPatch = await user.api.patch('/api/v1/users/me/addresses/1', {
      token: account.accessToken,
      json: {},
    });

    expect(missing.status).to.equal(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      'city',
      'postal_code',
      'country',
    ]);
    expect(unknown.status).to.equal(400);
    expect(unknown.body.errors).to.deep.equal([{ path: 'street_number', message: 'is not a known field' }]);
    expect(emptyPatch.status).to.equal(400);
  });

  it('when not signed in, then 401', async () => {
    expect((await user.api.get('/api/v1/users/me/addresses')).status).to.equal(401);
  });
});
