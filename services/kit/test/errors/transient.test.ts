import { createDatabase as createTestDatabase, freePort } from '@cartwheel/testing';
import { expect } from 'chai';
import pg from 'pg';
import { isTransientError } from '../../src/errors/transient.js';
import { upstreamTimeout, upstreamUnavailable } from '../../src/http-client/upstream-errors.js';
import { validationError } from '../../src/index.js';

/** What a real PostgreSQL call rejects with. */
async function pgFailure(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // the server ending the session also emits here
  try {
    await client.connect();
    await client.query(sql);
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('isTransientError', () => {
  let url: string;
  before(async () => {
    url = await createTestDatabase('transient');
  });

  it('when PostgreSQL cannot be reached, then the error is transient', async () => {
    const error = await pgFailure(`postgres://nobody@127.0.0.1:${await freePort()}/x`, 'select 1');
    expect((error as { code?: string }).code).to.equal('ECONNREFUSED');
    expect(isTransientError(error)).to.equal(true);
  });

  it('when PostgreSQL ends the session (shutdown, SQLSTATE 57P01), then the error is transient', async () => {
    const error = await pgFailure(url, 'select pg_terminate_backend(pg_backend_pid())');
    expect((error as { code?: string }).code).to.equal('57P01');
    expect(isTransientError(error)).to.equal(true);
  });

  it('when PostgreSQL rejects the data (a unique violation), then the error is not transient', async () => {
    const error = await pgFailure(
      url,
      'create temporary table t (id int primary key); insert into t values (1); insert into t values (1)',
    );
    expect((error as { code?: string }).code).to.equal('23505');
    expect(isTransientError(error)).to.equal(false);
  });

  it('when an upstream is unavailable or late (503/504), then the error is transient; a 400 is not', () => {
    expect(isTransientError(upstreamUnavailable('catalog'))).to.equal(true);
    expect(isTransientError(upstreamTimeout('catalog', 2000))).to.equal(true);
    expect(isTransientError(validationError([{ path: 'items', message: 'required' }]))).to.equal(false);
  });

  it('when SMTP answers 4xx (try later), then the error is transient; a 5xx refusal is not', () => {
    const smtp = (responseCode: number) =>
      Object.assign(new Error('Mail command failed'), { code: 'EENVELOPE', responseCode });
    expect(isTransientError(smtp(451))).to.equal(true);
    expect(isTransientError(smtp(550))).to.equal(false);
  });

  it('when the transient error is the cause of another, or one of an AggregateError, then the whole is transient', async () => {
    const refused = await pgFailure(`postgres://nobody@127.0.0.1:${await freePort()}/x`, 'select 1');
    expect(isTransientError(new Error('reserving stock failed', { cause: refused }))).to.equal(true);
    expect(isTransientError(new AggregateError([new TypeError('x'), refused]))).to.equal(true);
    expect(isTransientError(Object.assign(new Error('marked'), { transient: true }))).to.equal(true);
  });

  it('when the error is a bug or carries nothing to go by, then it is not transient', () => {
    expect(isTransientError(new TypeError("Cannot read properties of undefined (reading 'id')"))).to.equal(
      false,
    );
    expect(isTransientError('connection refused')).to.equal(false);
    expect(isTransientError(undefined)).to.equal(false);
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isTransientError(loop)).to.equal(false);
  });
});
