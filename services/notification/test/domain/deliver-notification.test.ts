import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  deliverNotification,
  DeliveryInFlightError,
  notify,
  type DeliveryDeps,
} from '../../src/domain/deliver-notification.use-case.js';
import type { Email } from '../../src/domain/notification.js';
import type { DedupStore } from '../../src/domain/ports.js';
import { createMemoryDedupStore } from '../../src/index.js';
import { recordingMailer, recordingObserver } from '../support/fakes.js';
import { capturedLogger } from '../support/logs.js';
import { aCancellation } from './builders.js';

const email: Email = {
  type: 'welcome',
  to: ['customer@example.com'],
  subject: 'Welcome to Cartwheel, Example!',
  html: '<p>Hi</p>',
  text: 'Hi',
};

function setup(dedup: DedupStore = createMemoryDedupStore()) {
  const outbox = recordingMailer();
  const observer = recordingObserver();
  const { logger, lines } = capturedLogger();
  const deps: DeliveryDeps = {
    mailer: outbox.mailer,
    dedup,
    observer,
    logger,
    settings: { adminEmails: [], dedupTtlSec: 3600, claimTtlMs: 60_000 },
  };
  return { deps, outbox, observer, lines };
}

describe('deliverNotification', function () {
  it('when an event is delivered the first time, then one email goes out with the Message-ID of the event', async function () {
    const { deps, outbox, observer } = setup();
    const eventId = randomUUID();

    expect(await deliverNotification(deps, eventId, email)).to.equal('sent');

    expect(outbox.sent).to.deep.equal([{ ...email, messageId: `<${eventId}@cartwheel.local>` }]);
    expect(observer.calls).to.deep.equal(['sent:welcome']);
  });

  it('when the same event is delivered three times, then one email goes out and two are counted as duplicates', async function () {
    const { deps, outbox, observer } = setup();
    const eventId = randomUUID();

    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await deliverNotification(deps, eventId, email));

    expect(outcomes).to.deep.equal(['sent', 'duplicate', 'duplicate']);
    expect(outbox.sent).to.have.length(1);
    expect(observer.calls).to.deep.equal(['sent:welcome', 'deduplicated:welcome', 'deduplicated:welcome']);
  });

  it('when sending fails, then the error propagates, the claim is released, and the retry sends', async function () {
    const { deps, outbox } = setup();
    const eventId = randomUUID();
    outbox.failWith = new Error('Message failed: 451 try again later');

    const failure = await deliverNotification(deps, eventId, email).catch((e: unknown) => e as Error);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'Message failed: 451 try again later');

    outbox.failWith = undefined;
    expect(await deliverNotification(deps, eventId, email)).to.equal('sent');
    expect(outbox.sent).to.have.length(1);
  });

  it('when two deliveries of one event run at once, then one sends and the other is told to retry, and its retry finds it sent', async function () {
    const { deps, outbox } = setup();
    const eventId = randomUUID();
    let release!: () => void;
    outbox.gate = new Promise((resolve) => (release = resolve));

    const first = deliverNotification(deps, eventId, email);
    const second = await deliverNotification(deps, eventId, email).catch((e: unknown) => e);
    expect(second).to.be.instanceOf(DeliveryInFlightError);
    release();
    expect(await first).to.equal('sent');

    expect(await deliverNotification(deps, eventId, email)).to.equal('duplicate');
    expect(outbox.sent).to.have.length(1);
  });

  it('when the sent mark cannot be written, then the delivery still counts as sent (a throw would resend)', async function () {
    const memory = createMemoryDedupStore();
    const { deps, outbox, observer, lines } = setup({
      claim: (id, ttl) => memory.claim(id, ttl),
      release: (id, token) => memory.release(id, token),
      markSent: async () => {
        throw new Error('store unavailable');
      },
    });

    expect(await deliverNotification(deps, randomUUID(), email)).to.equal('sent');
    expect(outbox.sent).to.have.length(1);
    expect(observer.calls).to.deep.equal(['sent:welcome']);
    expect(
      lines.some((l) => l.level === 'warn' && l.message === 'could not record the email as sent'),
    ).to.equal(true);
  });
});

describe('notify', function () {
  it('when nobody can be written to, then nothing is claimed or sent, and the skip is counted and logged', async function () {
    const { deps, outbox, observer, lines } = setup();
    const eventId = randomUUID();

    expect(
      await notify(deps, eventId, {
        type: 'order_cancelled',
        data: aCancellation({ user_email: undefined }),
      }),
    ).to.equal('skipped');

    expect(outbox.sent).to.have.length(0);
    expect(observer.calls).to.deep.equal(['skipped:order_cancelled:no recipient address']);
    expect(lines.find((l) => l.message === 'no email sent')).to.deep.include({
      level: 'warn',
      eventId,
      reason: 'no recipient address',
    });
    expect((await deps.dedup.claim(eventId, 1000)).status).to.equal('claimed');
  });
});
