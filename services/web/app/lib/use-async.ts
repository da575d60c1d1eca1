import { useEffect, useState } from 'preact/hooks';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (after a change the page made). */
  reload(): void;
  /** Replaces the data with what a write answered, without a new request. */
  setData(data: T): void;
}

/**
 * Runs `load` when `deps` change and follows its result; an answer that arrives after the deps
 * changed again is dropped (its request is aborted), so a slow old search never wins.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    // The last answer (data or error) stays until the new one arrives: no flicker while polling.
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error, loading: false });
      },
    );
    return () => controller.abort();
    // The caller names the dependencies, as with useEffect.
  }, [...deps, round]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => setRound((n) => n + 1),
    setData: (data) => setState({ data, loading: false }),
  };
}
