import { expect } from 'chai';

import { MAX_BACKOFF_MS, backoffDelay, isIdempotent } from '../../src/http-client/retry-policy.js';

describe('backoffDelay', () => {
  it('when the jitter is at its extremes, then the delay stays between half and all of the doubled base', () => {
    expect([0, 1, 2].map((attempt) => backoffDelay(attempt, 100, () => 0))).to.deep.equal([50, 100, 200]);
    expect([0, 1, 2].map((attempt) => backoffDelay(attempt, 100, () => 1))).to.deep.equal([100, 200, 400]);
  });

  it('when the attempt number grows large, then the delay is capped', () => {
    expect(backoffDelay(30, 100, () => 1)).to.equal(MAX_BACKOFF_MS);
  });
});

describe('isIdempotent', () => {
  it('when nothing is declared, then GET, HEAD, PUT, DELETE and OPTIONS are idempotent and POST, PATCH are not', () => {
    const methods = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'POST', 'PATCH'];

    expect(methods.filter((method) => isIdempotent(method))).to.deep.equal([
      'GET',
      'HEAD',
      'PUT',
      'DELETE',
      'OPTIONS',
    ]);
  });

  it('when the caller declares it, then the declaration wins over the method', () => {
    expect(isIdempotent('POST', true)).to.equal(true);
    expect(isIdempotent('GET', false)).to.equal(false);
  });
});
