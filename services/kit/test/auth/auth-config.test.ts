import { expect } from 'chai';
import { createTestIssuer, startJwksServer } from '@cartwheel/testing';
import { authConfig, issuersFromConfig, loadConfig, verifierFromConfig } from '../../src/index.js';

describe('authConfig', () => {
  it('when nothing is set, then tokens of the gateway issuer are checked against the user service JWKS', () => {
    const issuers = issuersFromConfig(loadConfig(authConfig, {}));
    expect(issuers).to.deep.equal([
      {
        issuer: 'http://localhost:8080',
        audience: 'cartwheel',
        jwksUrl: 'http://127.0.0.1:8081/.well-known/jwks.json',
      },
    ]);
  });

  it('when USER_URL moves, then the JWKS URL follows it', () => {
    const [own] = issuersFromConfig(loadConfig(authConfig, { USER_URL: 'http://user.svc:8081/' }));
    expect(own).to.include({ jwksUrl: 'http://user.svc:8081/.well-known/jwks.json' });
  });

  it('when KEYCLOAK_ISSUER is set, then that realm is accepted too with roles from realm_access', () => {
    const issuers = issuersFromConfig(
      loadConfig(authConfig, { KEYCLOAK_ISSUER: 'http://kc:8080/realms/cartwheel' }),
    );
    expect(issuers[1]).to.deep.equal({
      issuer: 'http://kc:8080/realms/cartwheel',
      audience: 'cartwheel',
      jwksUrl: 'http://kc:8080/realms/cartwheel/protocol/openid-connect/certs',
      rolesClaim: 'realm_access.roles',
    });
  });

  it('when the Keycloak issuer is not a URL, then configuration fails naming it', () => {
    expect(() => loadConfig(authConfig, { KEYCLOAK_ISSUER: 'keycloak' })).to.throw(/KEYCLOAK_ISSUER/);
  });

  it('when a token is signed by the configured issuer, then the verifier built from config accepts it', async () => {
    const issuer = await createTestIssuer('http://localhost:8080');
    const jwks = await startJwksServer(issuer.jwks.keys);
    try {
      const verifier = verifierFromConfig(loadConfig(authConfig, { JWT_JWKS_URL: jwks.url }));
      const identity = await verifier.verify(await issuer.token({ subject: '7', roles: ['admin'] }));
      expect(identity).to.include({ subject: '7', issuer: 'http://localhost:8080' });
      expect(identity.roles).to.deep.equal(['admin']);
    } finally {
      await jwks.close();
    }
  });
});
