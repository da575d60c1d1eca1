import { expect } from 'chai';

import { clientResponseHeaders, upstreamRequestHeaders } from '../../src/domain/forward-headers.js';

const facts = {
  requestId: 'req-1',
  forwardedFor: '203.0.113.7',
  proto: 'https',
  host: 'shop.example',
  chunkedBody: false,
};

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop headers, those named in Connection, Host and the client X-Forwarded-*', () => {
    const headers = upstreamRequestHeaders(
      {
        connection: 'keep-alive, X-Hop',
        'keep-alive': 'timeout=5',
        'x-hop': '1',
        te: 'trailers',
        trailer: 'x-sum',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic x',
        'proxy-connection': 'keep-alive',
        host: 'shop.example',
        expect: '100-continue',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        authorization: 'Bearer t',
        'content-type': 'application/json',
        'content-length': '2',
      },
      facts,
    );
    expect(headers).to.deep.equal({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'content-length': '2',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'shop.example',
      'x-request-id': 'req-1',
    });
  });

  it('keeps a body of unknown length chunked', () => {
    const headers = upstreamRequestHeaders(
      { 'transfer-encoding': 'chunked' },
      { ...facts, chunkedBody: true },
    );
    expect(headers['transfer-encoding']).to.equal('chunked');
  });
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop headers and those the gateway owns, keeps repeated Set-Cookie', () => {
    const headers = clientResponseHeaders(
      {
        connection: 'close, x-internal',
        'x-internal': 'secret',
        'transfer-encoding': 'chunked',
        'ratelimit-remaining': '999',
        'set-cookie': ['a=1', 'b=2'],
        'content-type': 'application/json',
      },
      (name) => name.startsWith('ratelimit-'),
    );
    expect(headers).to.deep.equal({ 'set-cookie': ['a=1', 'b=2'], 'content-type': 'application/json' });
  });
});
