import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@cartwheel/kit';
import type { UserDomain } from './context.js';

export interface ServiceTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

/** RFC 6749 §5.2 `invalid_client`, as problem+json with the OAuth error code alongside. */
const invalidClient = () =>
  new AppError('invalid_client', 401, 'Unauthorized', {
    detail: 'Client authentication failed',
    extensions: { error: 'invalid_client' },
    headers: { 'WWW-Authenticate': 'Basic realm="cartwheel"' },
  });

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Digests first, so the comparison takes the same time whatever the lengths. */
function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The client-credentials grant (RFC 6749 §4.4): a configured service client gets a short-lived
 * token with role `service` and subject `service:<client_id>`. An unknown client costs the same
 * comparison as a wrong secret.
 */
export async function issueServiceToken(
  d: UserDomain,
  clientId: string,
  clientSecret: string,
): Promise<ServiceTokenResponse> {
  const expected = d.serviceClients.get(clientId);
  const matches = secretsEqual(clientSecret, expected ?? '\u0000unknown client');
  if (!expected || !matches) throw invalidClient();
  const minted = await d.tokens.mint(
    { subject: `service:${clientId}`, roles: ['service'] },
    d.lifetimes.serviceTokenTtlSec,
  );
  return { access_token: minted.token, token_type: 'bearer', expires_in: minted.expiresIn };
}
