import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { keycloak, type TestKeycloak } from '../src/index.js';

describe('test Keycloak', function () {
  // Started lazily on the first call (20–60 s) and shared by every suite of the run.
  this.timeout(240_000);
  let kc: TestKeycloak;

  before(async () => {
    kc = await keycloak();
  });

  it('when a demo user signs in with the password grant, then the access token carries the realm roles and audience', async () => {
    const response = await fetch(`${kc.realmUrl('cartwheel')}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cartwheel-web',
        username: 'bob',
        password: 'Bob-Password1',
      }),
    });
    expect(response.status).to.equal(200);
    const claims = decodeJwt(((await response.json()) as { access_token: string }).access_token);

    expect(claims).to.deep.include({
      iss: kc.realmUrl('cartwheel'),
      aud: 'cartwheel',
      email: 'bob@cartwheel.example',
      given_name: 'Bob',
      family_name: 'Shopper',
      realm_access: { roles: ['user'] },
    });
  });

  it('when a second call asks for Keycloak, then the same server is returned', async () => {
    expect((await keycloak()).url).to.equal(kc.url);
  });
});
