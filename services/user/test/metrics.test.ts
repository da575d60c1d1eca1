import { expect } from 'chai';
import { createLoginLimiter } from '../src/index.js';
import { newAccount, startUserApp, type UserApp } from './support.js';

/** The value of one series in the app's Prometheus text, 0 when it is absent. */
async function sample(user: UserApp, series: string): Promise<number> {
  const text = await (await fetch(`${user.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(series) && l.charAt(series.length) !== '_');
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('user service: login and registration metrics', () => {
  let user: UserApp;

  before(async () => {
    user = await startUserApp({
      limiter: createLoginLimiter({ maxFailuresPerAccount: 2, maxFailuresPerIp: 1000, windowSec: 600 }),
    });
  });
  after(() => user?.close());

  it('when accounts register and logins succeed, fail and get locked, then user_registrations_total and user_logins_total{result} count each', async () => {
    const account = newAccount();
    const login = (password: string) =>
      user.api.post('/api/v1/auth/login', { form: { username: account.email, password } });

    expect((await user.api.post('/api/v1/auth/register', { json: account })).status).to.equal(201);
    expect((await user.api.post('/api/v1/auth/register', { json: account })).status, 'a duplicate').to.equal(
      409,
    );
    expect((await login(account.password)).status).to.equal(200);
    expect((await login('WrongPassword1')).status).to.equal(401);
    expect((await login('WrongPassword2')).status).to.equal(401);
    expect((await login(account.password)).status, 'the account is locked now').to.equal(429);

    expect(await sample(user, 'user_registrations_total{service="user"}')).to.equal(1);
    expect(await sample(user, 'user_logins_total{result="ok",service="user"}')).to.equal(1);
    expect(await sample(user, 'user_logins_total{result="failed",service="user"}')).to.equal(2);
    expect(await sample(user, 'user_logins_total{result="locked",service="user"}')).to.equal(1);
  });
});
