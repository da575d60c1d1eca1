import { expect } from 'chai';

import { ApiError, describeError, fieldErrors, problemFrom, unplacedErrors } from '../../app/lib/problem.js';

const validation = problemFrom(400, {
  title: 'Invalid request',
  detail: 'shipping_address.line1: is required; items.0.quantity: too big',
  errors: [
    { path: 'shipping_address.line1', message: 'is required' },
    { path: 'shipping_address.line1', message: 'second message' },
    { path: 'items.0.quantity', message: 'too big' },
  ],
});

describe('problem+json in the app', () => {
  it('places field errors by their path, with a prefix stripped, first message first', () => {
    expect(fieldErrors(validation, 'shipping_address.')).to.deep.equal({ line1: 'is required' });
    expect(fieldErrors(validation)).to.have.property('items.0.quantity', 'too big');
    expect(fieldErrors(new Error('x'))).to.deep.equal({});
  });

  it('lists the errors no shown field displays', () => {
    expect(unplacedErrors(validation, ['line1'], 'shipping_address.')).to.deep.equal([
      { path: 'items.0.quantity', message: 'too big' },
    ]);
  });

  it('says what happened in words, the server’s detail first', () => {
    expect(describeError(validation)).to.equal(
      'shipping_address.line1: is required; items.0.quantity: too big',
    );
    expect(describeError(problemFrom(429, { title: 'Too Many Requests' }, '12'))).to.equal(
      'Too many requests. Please try again in 12 s.',
    );
    expect(describeError(problemFrom(502, '<html>bad gateway</html>'))).to.equal('Request failed (502)');
    expect(describeError(new TypeError('boom'))).to.equal('Something went wrong. Please try again.');
    expect(new ApiError(0, {}).title).to.equal('Request failed (0)');
  });
});
