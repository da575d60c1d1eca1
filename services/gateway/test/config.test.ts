import { ConfigError, loadConfig } from '@cartwheel/kit';
import { expect } from 'chai';

import { gatewayConfig } from '../src/config.js';

describe('gatewayConfig', () => {
  it('defaults to the DESIGN §3 upstreams and §5 limits', () => {
    const config = loadConfig(gatewayConfig, {});
    expect(config).to.include({
      USER_URL: 'http://127.0.0.1:8081',
      PRODUCT_URL: 'http://127.0.0.1:8082',
      INVENTORY_URL: 'http://127.0.0.1:8083',
      ORDER_URL: 'http://127.0.0.1:8084',
      AI_URL: 'http://127.0.0.1:8086',
      UPSTREAM_TIMEOUT_MS: 10_000,
      RATE_LIMIT_PER_MINUTE: 60,
      RATE_LIMIT_AI_PER_MINUTE: 15,
      RATE_LIMIT_AUTH_PER_MINUTE: 10,
      TRUST_PROXY: 0,
      ROUTES_FROM_KUBERNETES: false,
    });
    expect(config.CORS_ORIGINS).to.deep.equal([]);
  });

  it('reads TRUST_PROXY as off, one hop or a number of hops', () => {
    const hops = (value: string) => loadConfig(gatewayConfig, { TRUST_PROXY: value }).TRUST_PROXY;
    expect([hops('false'), hops('true'), hops('2'), hops('')]).to.deep.equal([0, 1, 2, 0]);
  });

  it('when variables are bad, then every one is named at once', () => {
    let error: unknown;
    try {
      loadConfig(gatewayConfig, {
        TRUST_PROXY: 'sometimes',
        RATE_LIMIT_PER_MINUTE: '0',
        REDIS_URL: 'http://x',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['TRUST_PROXY', 'RATE_LIMIT_PER_MINUTE', 'REDIS_URL'])
      expect(problems).to.include(name);
  });
});
