// Delivery guarantees over the real Kafka broker, Redis and SMTP server: redeliveries send
// nothing twice, an SMTP outage delays mail without losing it, and what can never be sent goes
// to the DLQ with its reason while later events keep flowing.
import { randomUUID } from 'node:crypto';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import {
  createFallbackDedupStore,
  createMemoryDedupStore,
  createRedisDedupStore,
  DEFAULT_TOPICS,
  notificationHandler,
} from '../src/index.js';
import { recordingMailer, recordingObserver } from './support/fakes.js';
import {
  messageIdOf,
  orderCancelledEvent,
  orderPlacedEvent,
  orderStatusEvent,
  startHarness,
  type Harness,
} from './support/harness.js';
import { silentLogger } from './support/logs.js';

describe('notification delivery: duplicates and outages', function () {
  this.timeout(90_000);
  let harness: Harness;
  before(async function () {
    // Enough retries to ride out the outage below: 100 ms doubling, about 25 s in all.
    harness = await startHarness({ maxRetries: 8, retryBackoffMs: 100 });
  });
  after(async function () {
    await harness?.stop();
  });
  const count = (messageId: string) =>
    harness.smtp.received.filter((mail) => mail.email.messageId === messageId).length;

  it('when the same event is delivered three times, then one email is sent and two deliveries are counted as duplicates', async function () {
    const orderId = randomUUID();
    const placed = orderPlacedEvent(orderId);
    const later = orderStatusEvent(orderId, 'pending', 'paid');
    await harness.publish('orders', placed);
    await harness.publish('orders', placed);
    await harness.publish('orders', placed, later);

    // Same key, published last: the three copies were handled by the time its email arrives.
    await eventually('the email published after the copies', () => count(messageIdOf(later)) === 1, 30_000);
    expect(count(messageIdOf(placed))).to.equal(1);
    expect(
      await harness.metric('notification_emails_deduplicated_total', { type: 'order_confirmation' }),
    ).to.equal(2);
  });

  it('when another replica (same Redis, its own memory) gets an event already emailed, then it sends nothing', async function () {
    const orderId = randomUUID();
    const cancelled = orderCancelledEvent(orderId);
    await harness.publish('orders', cancelled);
    await eventually('the first email', () => count(messageIdOf(cancelled)) === 1, 30_000);
    await eventually(
      'the event to be marked sent in Redis',
      async () => (await harness.redis.get(`${harness.dedupPrefix}${cancelled.id}`)) === 'sent',
    );

    const outbox = recordingMailer();
    const observer = recordingObserver();
    const replica = notificationHandler({
      topics: DEFAULT_TOPICS,
      maxRetries: 8,
      delivery: {
        mailer: outbox.mailer,
        dedup: createFallbackDedupStore(
          createRedisDedupStore(harness.redis, { keyPrefix: harness.dedupPrefix }),
          createMemoryDedupStore(),
          silentLogger,
        ),
        observer,
        logger: silentLogger,
        settings: { adminEmails: [], dedupTtlSec: 3600, claimTtlMs: 60_000 },
      },
    });
    await replica(cancelled, { topic: 'orders', partition: 0, offset: '0', headers: {}, attempt: 1 });

    expect(outbox.sent).to.have.length(0);
    expect(observer.calls).to.deep.equal(['deduplicated:order_cancelled']);
  });

  it('when the SMTP server is down for a while, then the email arrives once it is back', async function () {
    const orderId = randomUUID();
    const placed = orderPlacedEvent(orderId);
    const failedBefore = await harness.metric('notification_emails_failed_total', {
      type: 'order_confirmation',
    });
    await harness.smtp.stop();
    try {
      await harness.publish('orders', placed);
      await eventually(
        'a failed attempt while SMTP is down',
        async () =>
          (await harness.metric('notification_emails_failed_total', { type: 'order_confirmation' })) >
          failedBefore,
        30_000,
      );
    } finally {
      await harness.smtp.start();
    }

    await eventually('the email after SMTP is back', () => count(messageIdOf(placed)) === 1, 40_000);
    const [mail] = harness.smtp.received.filter((m) => m.email.messageId === messageIdOf(placed));
    expect(mail.envelope.to).to.deep.equal(['customer@example.com']);
  });
});

describe('notification delivery: what can never be sent', function () {
  this.timeout(90_000);
  let harness: Harness;
  before(async function () {
    harness = await startHarness({ maxRetries: 2, retryBackoffMs: 50 });
  });
  after(async function () {
    await harness?.stop();
  });

  it('when SMTP refuses an email permanently (550), then it is in the DLQ at once with the reason, and later events are still delivered', async function () {
    const parked = await harness.watchDlq('orders');
    harness.smtp.refuse = (recipient) => recipient === 'refused@example.com';
    const orderId = randomUUID();
    const refused = orderCancelledEvent(orderId, 'refused@example.com');
    const later = orderStatusEvent(randomUUID(), 'pending', 'paid');
    const sameKeyLater = orderPlacedEvent(orderId);
    await harness.publish('orders', refused, later, sameKeyLater);

    const inDlq = () => parked.filter((p) => p.event.id === refused.id);
    await eventually('the refused event in the DLQ', () => inDlq().length === 1, 30_000);
    expect(inDlq()[0].reason).to.include('550').and.include('refused by policy');
    await eventually(
      'both later emails',
      () =>
        harness.smtp.received.some((m) => m.email.messageId === messageIdOf(later)) &&
        harness.smtp.received.some((m) => m.email.messageId === messageIdOf(sameKeyLater)),
      30_000,
    );
    expect(await harness.metric('notification_dlq_total', { type: 'order_cancelled' })).to.equal(1);
    // nodemailer marks a 5xx reply permanent: the bus parks it without retrying.
    expect(await harness.metric('notification_emails_failed_total', { type: 'order_cancelled' })).to.equal(1);
  });

  it('when an event carries malformed data, then it is in the DLQ naming the bad fields, and later events flow', async function () {
    const parked = await harness.watchDlq('orders');
    const orderId = randomUUID();
    const malformed = orderPlacedEvent(orderId, { items: 'none', total_price: -1 });
    const later = orderCancelledEvent(orderId);
    await harness.publish('orders', malformed, later);

    const inDlq = () => parked.filter((p) => p.event.id === malformed.id);
    await eventually('the malformed event in the DLQ', () => inDlq().length === 1, 30_000);
    expect(inDlq()[0].reason).to.include('malformed data').and.include('items').and.include('total_price');
    await eventually(
      'the later email',
      () => harness.smtp.received.some((m) => m.email.messageId === messageIdOf(later)),
      30_000,
    );
    expect(await harness.metric('notification_dlq_total', { type: 'order_confirmation' })).to.equal(1);
    expect(parked.filter((p) => p.event.id === later.id)).to.have.length(0);
  });
});
