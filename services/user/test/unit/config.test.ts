import { ConfigError, loadConfig } from '@cartwheel/kit';
import { expect } from 'chai';
import { PLATFORM_CLIENTS, serviceClientsFrom, userConfig } from '../../src/index.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(userConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('userConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(userConfig, {});

    expect(config).to.deep.include({
      ACCESS_TOKEN_TTL_SEC: 900,
      REFRESH_TOKEN_TTL_SEC: 2_592_000,
      SERVICE_TOKEN_TTL_SEC: 300,
      LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
      LOGIN_MAX_FAILURES_PER_IP: 50,
      LOGIN_FAILURE_WINDOW_SEC: 900,
      JWT_ISSUER: 'http://localhost:8080',
      JWT_AUDIENCE: 'cartwheel',
    });
  });

  it('refuses an admin password that breaks the password policy, without echoing it', () => {
    const found = problems({ CARTWHEEL_ADMIN_EMAIL: 'a@example.com', CARTWHEEL_ADMIN_PASSWORD: 'secret' });

    expect(found).to.have.length(1);
    expect(found[0]).to.match(/^CARTWHEEL_ADMIN_PASSWORD: /);
    expect(found[0]).to.not.contain('secret');
  });

  it('refuses a REDIS_URL that is not redis://', () => {
    expect(problems({ REDIS_URL: 'http://localhost:6379' })[0]).to.match(/^REDIS_URL: /);
  });
});

describe('serviceClientsFrom', () => {
  it('uses SERVICE_CLIENTS when set', () => {
    const config = loadConfig(userConfig, {
      SERVICE_CLIENTS: 'order:order-secret-0123456789, gateway:gw:secret-with-colon',
      SERVICE_CLIENT_SECRET: 'ignored-secret-0123456789',
    });

    expect([...serviceClientsFrom(config)]).to.deep.equal([
      ['order', 'order-secret-0123456789'],
      ['gateway', 'gw:secret-with-colon'],
    ]);
  });

  it('otherwise accepts the platform clients with SERVICE_CLIENT_SECRET', () => {
    const config = loadConfig(userConfig, { SERVICE_CLIENT_SECRET: 'platform-secret-0123456789' });

    expect([...serviceClientsFrom(config).keys()]).to.deep.equal(PLATFORM_CLIENTS);
    expect(new Set(serviceClientsFrom(config).values())).to.deep.equal(
      new Set(['platform-secret-0123456789']),
    );
  });

  it('otherwise accepts no client at all', () => {
    expect(serviceClientsFrom(loadConfig(userConfig, {})).size).to.equal(0);
  });
});
