import { useEffect, useRef, useState } from 'preact/hooks';

import { ErrorMessage } from './status.js';

/**
 * A destructive action in two steps: the button, then a question with "yes" and "keep". The safe
 * choice takes focus when the question appears; a failure is shown and the question closes.
 */
export function ConfirmAction(props: {
  /** The first button, e.g. "Delete"; `name` adds what it acts on for assistive technology. */
  label: string;
  name?: string;
  question?: string;
  confirmLabel: string;
  keepLabel: string;
  /** Performs the action; when it resolves the caller usually removes this control. */
  onConfirm: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <>
      <ErrorMessage error={error} />
      {confirming ? (
        <div
          class="confirm"
          role="group"
          aria-label={`Confirm: ${props.label}${props.name ? ` ${props.name}` : ''}`}
        >
          {props.question && <p>{props.question}</p>}
          <button type="button" class="button-danger" disabled={busy} onClick={() => void confirm()}>
            {props.confirmLabel}
          </button>
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            ref={keep}
            onClick={() => setConfirming(false)}
          >
            {props.keepLabel}
          </button>
        </div>
      ) : (
        <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
          {props.label}
          {props.name && <span class="visually-hidden"> ({props.name})</span>}
        </button>
      )}
    </>
  );
}
