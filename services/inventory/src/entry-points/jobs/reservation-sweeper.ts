import type { Logger } from '@cartwheel/kit';
import type { RunInTransaction } from '../../domain/ports.js';
import { releaseExpired } from '../../domain/settle-reservation.use-case.js';

export interface ReservationSweeperOptions {
  run: RunInTransaction;
  intervalMs: number;
  /** Lines released per transaction (default 100). */
  batchSize?: number;
  logger: Logger;
}

export interface ReservationSweeper {
  /** Releases every expired, unconfirmed reservation now; resolves with how many lines it released. */
  sweepNow(): Promise<number>;
  /** Stops the timer and waits for a sweep in hand. */
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, releases reservations that `order.placed` did not confirm within their TTL
 * (DESIGN §8), batch after batch until none is left. Each replica runs one; their claims skip
 * each other's locked lines, so they share the work instead of waiting or releasing twice.
 */
export function startReservationSweeper(options: ReservationSweeperOptions): ReservationSweeper {
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const sweepAll = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const released = await releaseExpired(options.run, batchSize);
      total += released;
      if (released < batchSize) return total;
    }
  };

  const tick = () => {
    running = sweepAll()
      .then((released) => {
        if (released > 0) options.logger.info({ released }, 'released expired reservations');
      })
      .catch((error: unknown) => options.logger.error({ err: error }, 'reservation sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);

  return {
    sweepNow: sweepAll,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
