import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written in the current request or event delivery carries. */
export interface LogFields {
  request_id?: string;
  event_id?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` added to every line the kit's loggers write meanwhile, whichever
 * logger object the code uses (the request's, the service's or the domain's own).
 *
 * @example await withLogFields({ event_id: event.id }, () => handler(event));
 */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** The fields of the request or delivery in hand, if any. */
export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}
