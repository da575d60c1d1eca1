import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@cartwheel/kit';

export const silentLogger = createLogger({ service: 'notification-test', level: 'silent' });

/** A logger whose JSON lines a test can read. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ service: 'notification-test', level: 'debug', destination }), lines };
}
