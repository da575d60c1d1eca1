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
