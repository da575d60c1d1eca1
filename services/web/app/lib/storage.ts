/** What `sessionStorage` and `localStorage` offer; a Map-backed one stands in for them in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A storage that lives as long as the page: the stand-in when the browser refuses one. */
export function memoryStorage(): KeyValueStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/**
 * `open()` (e.g. `() => window.sessionStorage`) when the browser allows it; storage can be
 * disabled or throw on access (privacy settings), and the app must still work.
 */
export function storageOr(open: () => KeyValueStorage): KeyValueStorage {
  try {
    const storage = open();
    const probe = '__cartwheel_probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return memoryStorage();
  }
}
