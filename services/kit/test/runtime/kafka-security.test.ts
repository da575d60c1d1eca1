import { expect } from 'chai';
import { kafkaSecurityFromEnv } from '../../src/index.js';

describe('kafkaSecurityFromEnv', () => {
  it('when nothing is set, then the connection is plaintext without SASL', () => {
    expect(kafkaSecurityFromEnv({})).to.deep.equal({});
  });

  it('when a Strimzi SCRAM user is mounted, then SASL carries its mechanism and credentials', () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_USERNAME: 'order',
      KAFKA_PASSWORD: 's3cret',
      KAFKA_SSL: 'true',
    });
    expect(security).to.deep.equal({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'order', password: 's3cret' },
    });
  });

  it('when the mechanism is unknown, then start fails naming the variable', () => {
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'gssapi' })).to.throw(/KAFKA_SASL_MECHANISM/);
  });

  it('when a mechanism is set without a password, then start fails naming what is missing', () => {
    expect(() =>
      kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_USERNAME: 'order' }),
    ).to.throw(/KAFKA_PASSWORD/);
  });
});
