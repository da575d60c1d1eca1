import { createStore } from './store.js';

export interface Location {
  pathname: string;
  search: string;
  /** 0 on the first page of a visit; grows with every in-app navigation (focus moves only then). */
  visits: number;
}

const read = (visits: number): Location => ({
  pathname: window.location.pathname,
  search: window.location.search,
  visits,
});

/** Where the app is; pages render from it. */
export const location = createStore<Location>(read(0));

/** Goes to `to` (a path of this app) without reloading. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = location.get();
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  const next = read(current.visits + 1);
  if (next.pathname !== current.pathname) window.scrollTo(0, 0);
  location.set(next);
}

/**
 * Makes every same-origin `<a href="/…">` an in-app navigation, and follows back/forward. Links
 * with a target, a download, modifier keys or another button keep the browser's behaviour.
 */
export function installNavigation(): void {
  window.addEventListener('popstate', () => location.set(read(location.get().visits + 1)));
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    if (anchor.getAttribute('href')?.startsWith('#')) return; // in-page links (the skip link)
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (/^\/(api|docs|openapi\.json|health|ready|metrics|\.well-known)(\/|$)/.test(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
