/**
 * Settles like `promise`, or rejects with "`what` timed out after `ms` ms" if it has not settled
 * by then. The timer is always cleared, so it never keeps the process alive.
 *
 * @example await withTimeout(admin.listTopics(), 3_000, 'Kafka ping');
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
