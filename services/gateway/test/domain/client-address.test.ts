import { expect } from 'chai';

import { clientAddress } from '../../src/domain/client-address.js';

const facts = { peer: '10.0.0.5', host: 'gateway:8080', encrypted: false };

describe('clientAddress', () => {
  it('with no trusted proxy, ignores and replaces every X-Forwarded-* header', () => {
    const seen = clientAddress(
      { ...facts, forwardedFor: '1.2.3.4', forwardedProto: 'https', forwardedHost: 'shop.example' },
      0,
    );
    expect(seen).to.deep.equal({
      ip: '10.0.0.5',
      forwardedFor: '10.0.0.5',
      proto: 'http',
      host: 'gateway:8080',
    });
  });

  it('with one trusted proxy, takes the address that proxy appended, not what the client wrote', () => {
    const seen = clientAddress(
      { ...facts, forwardedFor: '6.6.6.6, 203.0.113.7', forwardedProto: 'https' },
      1,
    );
    expect(seen.ip).to.equal('203.0.113.7');
    expect(seen.forwardedFor).to.equal('203.0.113.7, 10.0.0.5');
    expect(seen.proto).to.equal('https');
  });

  it('with two trusted proxies, walks two entries from the right', () => {
    expect(clientAddress({ ...facts, forwardedFor: '6.6.6.6, 203.0.113.7, 10.1.1.1' }, 2).ip).to.equal(
      '203.0.113.7',
    );
  });

  it('when the header is shorter than the trusted chain, falls back to its first entry, or the peer', () => {
    expect(clientAddress({ ...facts, forwardedFor: '203.0.113.7' }, 3).ip).to.equal('203.0.113.7');
    expect(clientAddress({ ...facts }, 1).ip).to.equal('10.0.0.5');
  });

  it('maps IPv4-mapped IPv6 peers to plain IPv4, so one client has one key', () => {
    expect(clientAddress({ ...facts, peer: '::ffff:127.0.0.1' }, 0).ip).to.equal('127.0.0.1');
  });
});
