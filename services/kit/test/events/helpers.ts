import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A promise with its resolve function outside, for gating handlers from the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Registers the W3C propagator and an async-hooks context manager unless something (the
 * telemetry setup) already did; returns the undo for `after`.
 */
export function useW3CTracing(): () => void {
  const manager = new AsyncLocalStorageContextManager().enable();
  const ownContext = context.setGlobalContextManager(manager);
  if (!ownContext) manager.disable();
  const ownPropagator = propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return () => {
    if (ownContext) context.disable();
    if (ownPropagator) propagation.disable();
  };
}
