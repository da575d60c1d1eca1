import { createApiClient } from './api-client.js';
import { storageOr } from './storage.js';

/** Told when the server ends the session; the session module signs the user out. */
export const sessionExpiry = { listener: (_reason: string): void => undefined };

/**
 * The app's one API client: the refresh token in this tab's sessionStorage (it survives a
 * reload, not the tab), the access token in memory. See the README, "Token storage".
 */
export const client = createApiClient({
  fetch: (input, init) => window.fetch(input, init),
  storage: storageOr(() => window.sessionStorage),
  onSessionExpired: (reason) => sessionExpiry.listener(reason),
});
