import { networkError, problemFrom, type ApiError } from './problem.js';
import type { KeyValueStorage } from './storage.js';

/** The user service's answer to login and refresh. */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the access token (default true). Sign-in and sign-up send none. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Signs in: keeps the access token in memory and the refresh token in the tab's storage. */
  login(email: string, password: string): Promise<void>;
  /** Ends the session at the server (best effort) and forgets both tokens. */
  logout(): Promise<void>;
  /** Whether this tab holds a session (a token in memory or a refresh token to get one). */
  hasSession(): boolean;
}

export interface ApiClientDeps {
  fetch: typeof fetch;
  /** Where the refresh token lives: the tab's `sessionStorage` in the browser. */
  storage: KeyValueStorage;
  /** Called once a session ends without the user asking (refresh refused, token still refused). */
  onSessionExpired?: (reason: string) => void;
}

/** The storage key of the refresh token; the access token is never stored anywhere. */
export const REFRESH_TOKEN_KEY = 'cartwheel.refresh_token';

const EXPIRED = 'Your session has ended. Please sign in again.';

async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The one way the app talks to `/api/v1`. Tokens: the access token only in this closure (gone on
 * reload), the refresh token in `storage` (the tab's sessionStorage), never localStorage. A 401
 * on a request that carried a token triggers one refresh (shared by every request that fails at
 * the same time) and one retry; if the refresh is refused or the retry is still a 401, the
 * session ends and `onSessionExpired` is told.
 */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  let accessToken: string | undefined;
  let refreshing: Promise<boolean> | undefined;

  const refreshToken = () => deps.storage.getItem(REFRESH_TOKEN_KEY) ?? undefined;
  const keep = (pair: TokenPair) => {
    accessToken = pair.access_token;
    deps.storage.setItem(REFRESH_TOKEN_KEY, pair.refresh_token);
  };
  const forget = () => {
    accessToken = undefined;
    deps.storage.removeItem(REFRESH_TOKEN_KEY);
  };
  const expire = () => {
    if (!accessToken && !refreshToken()) return;
    forget();
    deps.onSessionExpired?.(EXPIRED);
  };

  async function send(path: string, options: RequestOptions, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await deps.fetch(path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw networkError();
    }
  }

  async function failure(response: Response): Promise<ApiError> {
    return problemFrom(response.status, await bodyOf(response), response.headers.get('Retry-After'));
  }

  /** True when new tokens arrived. A refused refresh token ends the session; a network failure does not. */
  async function refreshOnce(): Promise<boolean> {
    const token = refreshToken();
    if (!token) return false;
    const response = await send(
      '/api/v1/auth/refresh',
      { method: 'POST', body: { refresh_token: token } },
      undefined,
    );
    if (response.ok) {
      keep((await response.json()) as TokenPair);
      return true;
    }
    if (response.status === 400 || response.status === 401 || response.status === 403) expire();
    else throw await failure(response);
    return false;
  }

  function refresh(): Promise<boolean> {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const withAuth = options.auth !== false;
    // After a reload only the refresh token is left: get an access token before the first call.
    if (withAuth && !accessToken && refreshToken()) await refresh();
    let sentToken = withAuth ? accessToken : undefined;
    let response = await send(path, options, sentToken);
    if (response.status === 401 && sentToken) {
      // Another request may have refreshed meanwhile: then retry with its token, no new refresh.
      const renewed = accessToken !== sentToken || (await refresh());
      if (renewed && accessToken) {
        sentToken = accessToken;
        response = await send(path, options, sentToken);
        if (response.status === 401) expire();
      }
    }
    if (!response.ok) throw await failure(response);
    return { data: (await bodyOf(response)) as T, status: response.status, headers: response.headers };
  }

  return {
    request,
    async login(email, password) {
      const response = await send(
        '/api/v1/auth/login',
        { method: 'POST', body: { email, password } },
        undefined,
      );
      if (!response.ok) throw await failure(response);
      keep((await response.json()) as TokenPair);
    },
    async logout() {
      const token = refreshToken();
      try {
        await send(
          '/api/v1/auth/logout',
          { method: 'POST', body: token ? { refresh_token: token } : {} },
          accessToken,
        );
      } catch {
        // Signing out here always works; the server session then ends when its token expires.
      } finally {
        forget();
      }
    },
    hasSession: () => Boolean(accessToken || refreshToken()),
  };
}
