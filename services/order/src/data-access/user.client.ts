import type { HttpClient } from '@cartwheel/kit';
import { z } from 'zod';
import type { Profiles } from '../domain/ports.js';
import { unavailableAs, unexpectedAnswer } from './upstream.js';

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const me = z.object({
  addresses: z.array(
    z.object({
      line1: z.string(),
      line2: text,
      city: z.string(),
      state: text,
      postal_code: z.string(),
      country: z.string(),
      is_default: z.boolean(),
    }),
  ),
});

/** The user service's `GET /api/v1/users/me`, sent with the caller's own token (no extra privilege). */
export function userClient(http: HttpClient): Profiles {
  return {
    async defaultAddress(callerToken) {
      const response = await unavailableAs('user', () =>
        http.get('/api/v1/users/me', { headers: { authorization: `Bearer ${callerToken}` } }),
      );
      // A token the user service does not know (another issuer's) has no profile to take it from.
      if ([401, 403, 404].includes(response.status)) return undefined;
      const parsed = response.status === 200 ? me.safeParse(response.body) : undefined;
      if (!parsed?.success) throw unexpectedAnswer('user', response);
      const address = parsed.data.addresses.find((candidate) => candidate.is_default);
      if (!address) return undefined;
      const { line1, line2, city, state, postal_code, country } = address;
      return { line1, line2, city, state, postal_code, country };
    },
  };
}
