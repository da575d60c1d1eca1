import { readFileSync } from 'node:fs';
import { loadConfig } from '@cartwheel/kit';
import { eventually, keycloak, keycloakRealmFile, uniqueName, type TestKeycloak } from '@cartwheel/testing';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { userConfig, userVerifier } from '../src/index.js';
import { startUserApp, testKeys, type UserApp } from './support.js';

/** A token from a realm's token endpoint: the password grant of `cartwheel-web`, or a client's credentials. */
async function realmToken(realmUrl: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${realmUrl}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`${realmUrl} refused: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

const passwordGrant = (realmUrl: string, username: string, password: string) =>
  realmToken(realmUrl, { grant_type: 'password', client_id: 'cartwheel-web', username, password });

describe('user service: Keycloak interop (real Keycloak)', function () {
  // Keycloak starts on the first call of the run (20–60 s, shared with every other suite).
  this.timeout(240_000);
  let kc: TestKeycloak;
  let realm: string;
  let user: UserApp;

  before(async () => {
    kc = await keycloak();
    realm = kc.realmUrl('cartwheel');
    const keys = await testKeys();
    // The production wiring: our own issuer from the in-process keys, Keycloak from its JWKS.
    const config = loadConfig(userConfig, { KEYCLOAK_ISSUER: realm });
    user = await startUserApp({ keys, verifier: userVerifier(config, keys) });
  });

  after(async () => {
    await user?.close();
  });

  it('when alice (realm role admin) calls /users/me for the first time, then a local profile is provisioned from her token', async () => {
    const token = await passwordGrant(realm, 'alice', 'Alice-Password1');

    const first = await user.api.get('/api/v1/users/me', { token });
    const second = await user.api.get('/api/v1/users/me', { token });

    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({
      email: 'alice@cartwheel.example',
      first_name: 'Alice',
      last_name: 'Admin',
      phone: null,
      role: 'admin',
      is_active: true,
      addresses: [],
    });
    expect(second.body.id).to.equal(first.body.id);
    const row = await user.db('users').where({ id: first.body.id }).first();
    expect(row).to.deep.include({ external_issuer: realm, password_hash: null });
    await eventually('user.created for alice', () =>
      user.events.some((e) => e.type === 'user.created' && e.subject === String(first.body.id)),
    );
  });

  it('when alice calls an admin-only kit-protected route, then her realm role admits her; bob (role user) gets 403', async () => {
    const alice = await passwordGrant(realm, 'alice', 'Alice-Password1');
    const bob = await passwordGrant(realm, 'bob', 'Bob-Password1');

    const asAlice = await user.api.get('/api/v1/users', { token: alice });
    const asBob = await user.api.get('/api/v1/users', { token: bob });
    const bobMe = await user.api.get('/api/v1/users/me', { token: bob });

    expect(asAlice.status).to.equal(200);
    expect(asBob.status).to.equal(403);
    expect(bobMe.body).to.deep.include({ email: 'bob@cartwheel.example', first_name: 'Bob', role: 'user' });
  });

  it('when a Keycloak user adds an address, then it works like for a local account', async () => {
    const token = await passwordGrant(realm, 'bob', 'Bob-Password1');

    const created = await user.api.post('/api/v1/users/me/addresses', {
      token,
      json: { line1: '1 Realm Road', city: 'Keycloak', postal_code: '26000', country: 'Example Country' },
    });

    expect(created.status).to.equal(201);
    expect(created.body.is_default).to.equal(true);
  });

  it('when a Keycloak account tries the local password endpoints, then it has no password here', async () => {
    const token = await passwordGrant(realm, 'bob', 'Bob-Password1');

    const login = await user.api.post('/api/v1/auth/login', {
      form: { username: 'bob@cartwheel.example', password: 'Bob-Password1' },
    });
    const change = await user.api.put('/api/v1/users/me/password', {
      token,
      json: { current_password: 'Bob-Password1', new_password: 'Another-Password2' },
    });

    expect(login.status).to.equal(401);
    expect(change.status).to.equal(409);
  });

  it('when a token comes from another realm of the same Keycloak, then it is refused with 401', async () => {
    const name = uniqueName('elsewhere');
    const representation = JSON.parse(readFileSync(keycloakRealmFile, 'utf8')) as Record<string, unknown>;
    await kc.importRealm({ ...representation, realm: name });
    const foreign = await passwordGrant(kc.realmUrl(name), 'alice', 'Alice-Password1');

    const response = await user.api.get('/api/v1/users/me', { token: foreign });

    expect(response.status).to.equal(401);
    expect(response.body.detail).to.equal('token issuer not accepted');
  });

  it('when a Keycloak service account without an email calls /users/me, then no profile is provisioned (403)', async () => {
    const token = await realmToken(realm, {
      grant_type: 'client_credentials',
      client_id: 'cartwheel-service',
      client_secret: 'cartwheel-service-secret',
    });

    const response = await user.api.get('/api/v1/users/me', { token });

    expect(response.status).to.equal(403);
    const subject = decodeJwt(token).sub;
    expect(
      await user.db('users').where({ external_issuer: realm, external_subject: subject }),
    ).to.have.length(0);
  });
});
