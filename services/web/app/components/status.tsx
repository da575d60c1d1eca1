import type { ComponentChildren } from 'preact';

import { describeError } from '../lib/problem.js';

/**
 * A polite live region for loading and result messages: always in the page, so screen readers
 * hear when its text changes ("Loading products…" → "12 products").
 */
export function LiveStatus(props: { children?: ComponentChildren; class?: string }) {
  return (
    <p class={props.class ?? 'live-status'} aria-live="polite" aria-atomic="true">
      {props.children}
    </p>
  );
}

/** An error for the whole page or section (role=alert: read out at once). */
export function ErrorMessage(props: { error: unknown; retry?: () => void }) {
  if (!props.error) return null;
  return (
    <div class="error-box" role="alert">
      <p>{describeError(props.error)}</p>
      {props.retry && (
        <button type="button" class="button-secondary" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  );
}
