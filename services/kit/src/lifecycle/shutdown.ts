import type { Logger } from 'pino';
import { withTimeout } from './timeout.js';

/** One step of an orderly stop, e.g. `{ name: 'http', stop: () => server.close() }`. */
export interface ShutdownStep {
  name: string;
  stop: () => Promise<void> | void;
}

/**
 * Runs the steps in order (STYLE.md §8: fail `/ready`, drain HTTP, stop consumers, close pools),
 * each bounded by what is left of `deadlineMs`; a step that fails or overruns is logged and the
 * next one still runs. Resolves true when every step finished in time.
 */
export async function shutdown(steps: ShutdownStep[], logger: Logger, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  let clean = true;
  for (const step of steps) {
    const left = Math.max(0, deadline - Date.now());
    try {
      await withTimeout(Promise.resolve().then(step.stop), left, step.name);
      logger.debug({ step: step.name }, 'stopped');
    } catch (error) {
      clean = false;
      logger.error({ step: step.name, err: error }, 'shutdown step failed');
    }
  }
  return clean;
}

/**
 * Wires SIGTERM/SIGINT to `shutdown`, then exits (0 when clean, 1 otherwise). A second signal
 * exits at once. Also logs unhandled rejections and uncaught exceptions through the same logger
 * before stopping, so a crash leaves one JSON line that says why.
 */
export function handleProcessSignals(steps: () => ShutdownStep[], logger: Logger, deadlineMs: number): void {
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) process.exit(code || 1);
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const clean = await shutdown(steps(), logger, deadlineMs);
    process.exit(clean ? code : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    void stop('unhandledRejection', 1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void stop('uncaughtException', 1);
  });
}
