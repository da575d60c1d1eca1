import type { DeliveryObserver } from '../../src/domain/ports.js';
import type { Mailer, OutgoingEmail } from '../../src/index.js';

/** A mailer that keeps what it is given; `failWith` makes the next sends reject, `gate` holds them. */
export function recordingMailer() {
  const sent: OutgoingEmail[] = [];
  const state = {
    sent,
    failWith: undefined as Error | undefined,
    gate: Promise.resolve(),
    mailer: {
      kind: 'file',
      async send(email) {
        await state.gate;
        if (state.failWith) throw state.failWith;
        sent.push(email);
      },
      async verify() {},
      async close() {},
    } satisfies Mailer,
  };
  return state;
}

/** An observer that records each call as `<what>:<type>`. */
export function recordingObserver(): DeliveryObserver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sent: (type) => void calls.push(`sent:${type}`),
    failed: (type) => void calls.push(`failed:${type}`),
    deduplicated: (type) => void calls.push(`deduplicated:${type}`),
    skipped: (type, reason) => void calls.push(`skipped:${type}:${reason}`),
    deadLettered: (type) => void calls.push(`dlq:${type}`),
  };
}
