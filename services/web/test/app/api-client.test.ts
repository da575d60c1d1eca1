import { expect } from 'chai';

import { createApiClient, REFRESH_TOKEN_KEY, type ApiClient } from '../../app/lib/api-client.js';
import { ApiError } from '../../app/lib/problem.js';
import { memoryStorage, type KeyValueStorage } from '../../app/lib/storage.js';

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });

/**
 * A user service in miniature: tokens `access-N` / `refresh-N`, rotation on refresh, and a
 * protected `/api/v1/users/me` that accepts only the current access token.
 */
function fakeApi() {
  const seen: Seen[] = [];
  const state = {
    generation: 0,
    refreshRefused: false,
    refreshDown: false,
    meAlways401: false,
    rejectNextMe: false,
    revoked: '',
  };
  const pair = () => ({
    access_token: `access-${state.generation}`,
    refresh_token: `refresh-${state.generation}`,
    token_type: 'bearer',
    expires_in: 900,
  });
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    const path = String(input);
    seen.push({ method: init?.method ?? 'GET', path, authorization: headers.get('authorization'), body });
    await Promise.resolve();
    if (path === '/api/v1/auth/login') {
      if (body?.password !== 'right')
        return json(401, { title: 'Unauthorized', detail: 'Wrong email or password' });
      state.generation += 1;
      return json(200, pair());
    }
    if (path === '/api/v1/auth/refresh') {
      if (state.refreshDown) throw new TypeError('fetch failed');
      if (state.refreshRefused || body?.refresh_token !== `refresh-${state.generation}`) {
        return json(401, { title: 'Unauthorized', detail: 'Refresh token is not valid' });
      }
      state.generation += 1;
      return json(200, pair());
    }
    if (path === '/api/v1/auth/logout') return new Response(null, { status: 204 });
    if (path === '/api/v1/users/me') {
      const rejected = state.rejectNextMe;
      state.rejectNextMe = false;
      const token = headers.get('authorization');
      if (
        rejected ||
        state.meAlways401 ||
        token === `Bearer ${state.revoked}` ||
        token !== `Bearer access-${state.generation}`
      ) {
        return json(
          401,
          { title: 'Unauthorized', detail: 'Token expired' },
          { 'www-authenticate': 'Bearer' },
        );
      }
      return json(200, { email: 'robin@example.com' });
    }
    if (path === '/api/v1/limited')
      return json(429, { title: 'Too Many Requests', detail: 'slow down' }, { 'retry-after': '7' });
    if (path === '/api/v1/invalid') {
      return json(400, {
        title: 'Invalid request',
        detail: 'email: is required',
        errors: [{ path: 'email', message: 'is required' }, { bogus: true }],
      });
    }
    return json(404, { title: 'Not Found', detail: `No route for ${path}` });
  }) as typeof globalThis.fetch;
  return { fetch, seen, state };
}

describe('createApiClient', () => {
  let api: ReturnType<typeof fakeApi>;
  let storage: KeyValueStorage;
  let expired: string[];
  let client: ApiClient;

  beforeEach(() => {
    api = fakeApi();
    storage = memoryStorage();
    expired = [];
    client = createApiClient({
      fetch: api.fetch,
      storage,
      onSessionExpired: (reason) => expired.push(reason),
    });
  });

  it('when signed in, then calls carry the access token and only the refresh token is stored', async () => {
    await client.login('robin@example.com', 'right');
    const { data } = await client.request<{ email: string }>('/api/v1/users/me');
    expect(data.email).to.equal('robin@example.com');
    expect(api.seen.at(-1)!.authorization).to.equal('Bearer access-1');
    expect(storage.getItem(REFRESH_TOKEN_KEY)).to.equal('refresh-1');
    expect(api.seen[0].body).to.deep.equal({ email: 'robin@example.com', password: 'right' });
  });

  it('when the access token is refused, then one refresh runs and the call is retried with the new token', async () => {
    await client.login('robin@example.com', 'right');
    api.state.rejectNextMe = true; // as after 15 minutes: access-1 has expired, refresh-1 is still good
    api.seen.length = 0;
    const { data } = await client.request<{ email: string }>('/api/v1/users/me');
    expect(data.email).to.equal('robin@example.com');
    expect(api.seen.map((s) => `${s.path} ${s.authorization ?? '-'}`)).to.deep.equal([
      '/api/v1/users/me Bearer access-1',
      '/api/v1/auth/refresh -',
      '/api/v1/users/me Bearer access-2',
    ]);
    expect(storage.getItem(REFRESH_TOKEN_KEY)).to.equal('refresh-2');
    expect(expired).to.deep.equal([]);
  });

  it('when only a refresh token is left (a reload), then the first call gets an access token first', async () => {
    await client.login('robin@example.com', 'right');
    const reloaded = createApiClient({ fetch: api.fetch, storage });
    api.seen.length = 0;
    await reloaded.request('/api/v1/users/me');
    expect(api.seen.map((s) => s.path)).to.deep.equal(['/api/v1/auth/refresh', '/api/v1/users/me']);
    expect(reloaded.hasSession()).to.equal(true);
  });

  it('when several calls find the token refused at once, then a single refresh serves them all', async () => {
    await client.login('robin@example.com', 'right');
    api.state.revoked = 'access-1';
    api.seen.length = 0;
    await Promise.all([1, 2, 3, 4].map(() => client.request('/api/v1/users/me')));
    expect(api.seen.filter((s) => s.path === '/api/v1/auth/refresh')).to.have.length(1);
    const retried = api.seen.filter((s) => s.authorization === 'Bearer access-2');
    expect(retried).to.have.length(4);
    expect(expired).to.deep.equal([]);
  });

  it('when several calls start after a reload, then one refresh gets the token for all of them', async () => {
    await client.login('robin@example.com', 'right');
    const reloaded = createApiClient({ fetch: api.fetch, storage });
    api.seen.length = 0;
    await Promise.all([1, 2, 3, 4].map(() => reloaded.request('/api/v1/users/me')));
    expect(api.seen.map((s) => s.path)).to.deep.equal([
      '/api/v1/auth/refresh',
      ...[1, 2, 3, 4].map(() => '/api/v1/users/me'),
    ]);
  });

  it('when the refresh is refused, then the session ends once and the call fails with 401', async () => {
    await client.login('robin@example.com', 'right');
    api.state.generation += 1; // someone else rotated: access-1 and refresh-1 are both stale
    let failure: unknown;
    await client.request('/api/v1/users/me').catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(ApiError);
    expect((failure as ApiError).status).to.equal(401);
    expect(expired).to.deep.equal(['Your session has ended. Please sign in again.']);
    expect(storage.getItem(REFRESH_TOKEN_KEY)).to.equal(null);
    expect(client.hasSession()).to.equal(false);
  });

  it('when the retried call is still refused, then the session ends instead of refreshing again', async () => {
    await client.login('robin@example.com', 'right');
    api.state.meAlways401 = true;
    api.seen.length = 0;
    await client.request('/api/v1/users/me').catch(() => undefined);
    expect(api.seen.map((s) => s.path)).to.deep.equal([
      '/api/v1/users/me',
      '/api/v1/auth/refresh',
      '/api/v1/users/me',
    ]);
    expect(expired).to.have.length(1);
    expect(client.hasSession()).to.equal(false);
  });

  it('when the refresh cannot reach the server, then the session is kept and the call fails as a network error', async () => {
    await client.login('robin@example.com', 'right');
    const reloaded = createApiClient({ fetch: api.fetch, storage, onSessionExpired: (r) => expired.push(r) });
    api.state.refreshDown = true;
    let failure: unknown;
    await reloaded.request('/api/v1/users/me').catch((error: unknown) => (failure = error));
    expect((failure as ApiError).status).to.equal(0);
    expect((failure as ApiError).detail).to.match(/could not be reached/);
    expect(storage.getItem(REFRESH_TOKEN_KEY)).to.equal('refresh-1');
    expect(expired).to.deep.equal([]);
  });

  it('when the server answers problem+json, then the error carries detail, field errors and Retry-After', async () => {
    const invalid = await client.request('/api/v1/invalid', { auth: false }).catch((error: unknown) => error);
    expect(invalid).to.be.instanceOf(ApiError);
    expect((invalid as ApiError).errors).to.deep.equal([{ path: 'email', message: 'is required' }]);
    expect((invalid as ApiError).detail).to.equal('email: is required');
    const limited = (await client.request('/api/v1/limited').catch((error: unknown) => error)) as ApiError;
    expect([limited.status, limited.retryAfter]).to.deep.equal([429, 7]);
  });

  it('when the password is wrong, then login fails with the server’s 401 and nothing is stored', async () => {
    const failure = (await client
      .login('robin@example.com', 'wrong')
      .catch((error: unknown) => error)) as ApiError;
    expect([failure.status, failure.detail]).to.deep.equal([401, 'Wrong email or password']);
    expect(client.hasSession()).to.equal(false);
    expect(api.seen.filter((s) => s.path === '/api/v1/auth/refresh')).to.have.length(0);
  });

  it('when signing out, then the server is told the refresh token and both tokens are forgotten', async () => {
    await client.login('robin@example.com', 'right');
    await client.logout();
    const logout = api.seen.at(-1)!;
    expect(logout).to.deep.include({ path: '/api/v1/auth/logout', authorization: 'Bearer access-1' });
    expect(logout.body).to.deep.equal({ refresh_token: 'refresh-1' });
    expect(client.hasSession()).to.equal(false);
    expect(storage.getItem(REFRESH_TOKEN_KEY)).to.equal(null);
  });
});
