import { expect } from 'chai';
import { withTimeout } from '../../src/index.js';

describe('withTimeout', () => {
  it('resolves with the value when the promise settles in time', async () => {
    expect(await withTimeout(Promise.resolve(42), 100, 'answer')).to.equal(42);
  });

  it('when the promise is still pending at the deadline, then rejects naming what timed out', async () => {
    const error = await withTimeout(new Promise(() => undefined), 20, 'Kafka ping').catch((e: Error) => e);
    expect((error as Error).message).to.equal('Kafka ping timed out after 20 ms');
  });

  it('passes the rejection of a promise that fails in time', async () => {
    const error = await withTimeout(Promise.reject(new Error('refused')), 100, 'db').catch((e: Error) => e);
    expect((error as Error).message).to.equal('refused');
  });
});
