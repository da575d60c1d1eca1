import { location } from './navigation.js';
import { createStore } from './store.js';

/** A message for the next page ("Order placed", "Signed out"), shown once on that page. */
export interface Flash {
  text: string;
  /** The path it is shown on; navigating elsewhere drops it. */
  path: string;
  kind: 'success' | 'info';
}

export const flash = createStore<Flash | undefined>(undefined);

export function showFlash(path: string, text: string, kind: Flash['kind'] = 'success'): void {
  flash.set({ path, text, kind });
}

// Arriving anywhere but its page drops the message: decided as the location changes, not in an
// effect after the next render (a session that expired before the first page's effects ran once
// lost the "sign in again" message that way).
location.subscribe((here) => {
  const message = flash.get();
  if (message && message.path !== here.pathname) flash.set(undefined);
});
