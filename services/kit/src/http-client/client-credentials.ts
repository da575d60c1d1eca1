import { AppError } from '../errors/app-error.js';

export interface ClientCredentialsOptions {
  /** The OAuth 2.0 token endpoint, e.g. `${USER_URL}/api/v1/auth/token` (or a Keycloak realm's). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Timeout of one token request (default 5000). */
  fetchTimeoutMs?: number;
  /** Fetch a new token this long before the cached one expires (default 30 s, at most half its lifetime). */
  refreshBeforeExpirySec?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

interface CachedToken {
  token: string;
  /** When to stop handing it out (ms), some time before it really expires. */
  renewAt: number;
}

/** Used when a token endpoint omits `expires_in` (RFC 6749 only recommends it). */
const DEFAULT_LIFETIME_SEC = 60;

/**
 * A `getToken` for `createHttpClient` that obtains service tokens with the OAuth 2.0
 * client-credentials grant (RFC 6749 §4.4; HTTP Basic client authentication, §2.3.1). The token
 * is cached until shortly before it expires, and concurrent callers share one request. A failed
 * request is not cached: the next call tries again. Failures reject with a 503 AppError
 * (`service_token_unavailable`) whose cause says what the endpoint answered.
 *
 * @example const getToken = createClientCredentialsTokens({ tokenUrl: `${config.USER_URL}/api/v1/auth/token`, clientId: 'order', clientSecret });
 *          const inventory = createHttpClient({ name: 'inventory', baseUrl, getToken });
 */
export function createClientCredentialsTokens(options: ClientCredentialsOptions): () => Promise<string> {
  const now = options.now ?? Date.now;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
  const refreshBeforeSec = options.refreshBeforeExpirySec ?? 30;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(fetchTimeoutMs),
      });
    } catch (error) {
      throw tokenUnavailable(`token request to ${options.tokenUrl} failed`, error);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw tokenUnavailable(
        `token endpoint ${options.tokenUrl} answered ${response.status}: ${text.slice(0, 500)}`,
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (error) {
      throw tokenUnavailable(`token endpoint ${options.tokenUrl} answered something that is not JSON`, error);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw tokenUnavailable(`token endpoint ${options.tokenUrl} answered without an access_token`);
    }
    const lifetimeSec =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_SEC;
    const marginSec = Math.min(refreshBeforeSec, lifetimeSec / 2);
    cached = { token: body.access_token, renewAt: now() + (lifetimeSec - marginSec) * 1000 };
    return body.access_token;
  }

  return function getToken(): Promise<string> {
    if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

function tokenUnavailable(reason: string, cause?: unknown): AppError {
  return new AppError('service_token_unavailable', 503, 'Service Unavailable', {
    detail: 'Could not obtain a service token',
    operational: true,
    headers: { 'Retry-After': '5' },
    cause: cause === undefined ? new Error(reason) : new Error(reason, { cause }),
  });
}
