// Every consumed event type over the real Kafka broker, to a real SMTP server: one email each,
// to the right recipient, with the right subject and content (the received MIME parsed).
import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import type { Email } from 'postal-mime';
import {
  messageIdOf,
  orderCancelledEvent,
  orderPlacedEvent,
  orderStatusEvent,
  startHarness,
  userCreatedEvent,
  type Harness,
} from './support/harness.js';
import type { ReceivedMail } from './support/smtp-server.js';

describe('notification emails over Kafka and SMTP', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async function () {
    harness = await startHarness();
  });
  after(async function () {
    await harness?.stop();
  });

  const mailsOf = (event: CloudEvent): ReceivedMail[] =>
    harness.smtp.received.filter((mail) => mail.email.messageId === messageIdOf(event));

  /** Waits for the email of `event`, checks it is the only one and went only to `to`, and parses it. */
  async function theEmailOf(event: CloudEvent, to: string[]): Promise<Email> {
    await eventually(`the email of ${event.type} ${event.id}`, () => mailsOf(event).length > 0, 30_000);
    const mails = mailsOf(event);
    expect(mails).to.have.length(1);
    expect(mails[0].envelope.to).to.deep.equal(to);
    const { email } = mails[0];
    expect(email.messageId).to.equal(messageIdOf(event));
    expect(email.from?.address).to.equal('no-reply@cartwheel.local');
    expect(email.to?.map((a) => a.address)).to.deep.equal(to);
    expect(email.html).to.include('CARTWHEEL');
    return email;
  }

  it('when user.created arrives, then the new user gets one welcome email', async function () {
    const event = userCreatedEvent('101');
    await harness.publish('users', event);

    const email = await theEmailOf(event, ['new.user@example.com']);
    expect(email.subject).to.equal('Welcome to Cartwheel, Example!');
    expect(email.text).to.include('Your Cartwheel account new.user@example.com is ready.');
    // The server has the message before the notifier hears its 250, so the count may trail it.
    await eventually(
      'the email to be counted as sent',
      async () => (await harness.metric('notification_emails_sent_total', { type: 'welcome' })) === 1,
    );
  });

  it('when order.placed arrives, then user_email gets one confirmation with items, quantities, prices, total and address', async function () {
    const orderId = randomUUID();
    const event = orderPlacedEvent(orderId);
    await harness.publish('orders', event);

    const email = await theEmailOf(event, ['customer@example.com']);
    expect(email.subject).to.equal(
      `Your Cartwheel order #${orderId.slice(0, 8).toUpperCase()} is confirmed ($609.97)`,
    );
    expect(email.text).to.include('- Wireless Noise-Cancelling Headphones: 1 × $249.99 = $249.99');
    expect(email.text).to.include('- Smart Fitness Watch: 2 × $179.99 = $359.98');
    expect(email.text).to.include('Total: $609.97');
    expect(email.text).to.include('123 Example Street\nApt 4B\nExample City, EX 12345\nExample Country');
    expect(email.html)
      .to.include('Smart Fitness Watch')
      .and.include('$359.98')
      .and.include('$609.97')
      .and.include('Example City, EX 12345')
      .and.include(orderId);
  });

  it('when an order is paid, shipped, delivered and another is cancelled, then one email each, and the status change to cancelled sends none of its own', async function () {
    const [orderId, cancelledId] = [randomUUID(), randomUUID()];
    const ref = (id: string) => `#${id.slice(0, 8).toUpperCase()}`;
    const paid = orderStatusEvent(orderId, 'pending', 'paid');
    const shipped = orderStatusEvent(orderId, 'paid', 'shipped');
    const delivered = orderStatusEvent(orderId, 'shipped', 'delivered');
    const toCancelled = orderStatusEvent(cancelledId, 'pending', 'cancelled');
    const cancelled = orderCancelledEvent(cancelledId);
    await harness.publish('orders', paid, shipped, delivered, toCancelled, cancelled);

    expect((await theEmailOf(paid, ['customer@example.com'])).subject).to.equal(
      `Payment received for your Cartwheel order ${ref(orderId)}`,
    );
    expect((await theEmailOf(shipped, ['customer@example.com'])).subject).to.equal(
      `Your Cartwheel order ${ref(orderId)} has shipped`,
    );
    expect((await theEmailOf(delivered, ['customer@example.com'])).subject).to.equal(
      `Your Cartwheel order ${ref(orderId)} has been delivered`,
    );
    // Same key, published before it: the status change was handled by the time this arrives.
    const cancellation = await theEmailOf(cancelled, ['customer@example.com']);
    expect(cancellation.subject).to.equal(`Your Cartwheel order ${ref(cancelledId)} has been cancelled`);
    expect(mailsOf(toCancelled)).to.have.length(0);
    expect(harness.smtp.received.filter((m) => m.email.text?.includes(cancelledId))).to.have.length(1);
  });

  it('when inventory.low arrives, then every admin address gets the alert', async function () {
    const productId = `p-${randomUUID()}`;
    const event = createEvent({
      source: '/services/inventory',
      type: 'inventory.low',
      subject: productId,
      data: { product_id: productId, available_quantity: 4, reorder_threshold: 5 },
    });
    await harness.publish('inventory', event);

    const email = await theEmailOf(event, ['ops@example.com', 'buyer@example.com']);
    expect(email.subject).to.equal(`Low stock: product ${productId} is down to 4 units`);
    expect(email.text).to.include('reorder threshold of 5');
  });

  it('when ai.notification.ready arrives, then its recipient gets the follow-up with the HTML sanitised and the subject on one line', async function () {
    const orderId = randomUUID();
    const event = createEvent({
      id: `ai-notification-${orderId}`,
      source: '/services/ai',
      type: 'ai.notification.ready',
      subject: orderId,
      data: {
        order_id: orderId,
        user_id: '1',
        to: 'customer@example.com',
        subject: 'Enjoy your headphones!\r\nBcc: everyone@example.com',
        html: '<p onmouseover="steal()">Pair them with a <a href="https://shop.example/case">case</a>.<script>alert(1)</script><a href="javascript:alert(2)">x</a></p>',
        text: 'Pair them with a case: https://shop.example/case',
      },
    });
    await harness.publish('aiNotifications', event);

    const email = await theEmailOf(event, ['customer@example.com']);
    expect(email.messageId).to.equal(`<ai-notification-${orderId}@cartwheel.local>`);
    expect(email.subject).to.equal('Enjoy your headphones! Bcc: everyone@example.com');
    expect(email.headers.map((h) => h.key)).to.not.include('bcc');
    expect(email.html).to.include(
      '<p>Pair them with a <a href="https://shop.example/case">case</a>.<a>x</a></p>',
    );
    expect(email.html).to.not.include('script').and.not.include('onmouseover').and.not.include('javascript:');
    expect(email.text).to.include('Pair them with a case: https://shop.example/case');
  });

  it('when a product is named <script>, then the confirmation shows the name as text', async function () {
    const event = orderPlacedEvent(randomUUID(), {
      items: [{ product_id: 'p-x', name: '<script>alert("owned")</script>', quantity: 1, price: 10 }],
      total_price: 10,
    });
    await harness.publish('orders', event);

    const email = await theEmailOf(event, ['customer@example.com']);
    expect(email.html).to.include('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(email.html).to.not.include('<script');
  });

  it('when a name carries CR/LF and a Bcc, then the subject stays one line and only the account holder gets the email', async function () {
    const event = userCreatedEvent('102', { first_name: 'Eve\r\nBcc: evil@example.com\r\n' });
    await harness.publish('users', event);

    const email = await theEmailOf(event, ['new.user@example.com']);
    expect(email.subject).to.equal('Welcome to Cartwheel, Eve Bcc: evil@example.com!');
    expect(email.headers.map((h) => h.key)).to.not.include('bcc');
  });

  it('when user_email carries CR/LF and a Bcc, or is missing, then nothing is sent and the skip is counted', async function () {
    const orderId = randomUUID();
    const injected = orderPlacedEvent(orderId, {
      user_email: 'customer@example.com\r\nBcc: evil@example.com',
    });
    const missing = orderCancelledEvent(orderId, null);
    const later = orderStatusEvent(orderId, 'pending', 'paid');
    await harness.publish('orders', injected, missing, later);

    // Same key, published after them: both were handled by the time its email arrives.
    await theEmailOf(later, ['customer@example.com']);
    expect(mailsOf(injected)).to.have.length(0);
    expect(mailsOf(missing)).to.have.length(0);
    expect(harness.smtp.received.flatMap((m) => m.envelope.to)).to.not.include('evil@example.com');
    expect(
      await harness.metric('notification_emails_skipped_total', {
        type: 'order_confirmation',
        reason: 'recipient is not a valid email address',
      }),
    ).to.equal(1);
    expect(
      await harness.metric('notification_emails_skipped_total', {
        type: 'order_cancelled',
        reason: 'no recipient address',
      }),
    ).to.equal(1);
  });

  it('when events without an email arrive (stock.updated, order.status_changed to pending), then nothing is sent', async function () {
    const orderId = randomUUID();
    const stock = createEvent({
      source: '/services/inventory',
      type: 'stock.updated',
      subject: 'p-1',
      data: { product_id: 'p-1', available_quantity: 3, reserved_quantity: 0, version: 2, stock: 3 },
    });
    const before = harness.smtp.received.length;
    const toPending = orderStatusEvent(orderId, 'pending', 'pending');
    const later = orderCancelledEvent(orderId);
    await harness.publish('inventory', stock);
    await harness.publish('orders', toPending, later);

    await theEmailOf(later, ['customer@example.com']);
    expect(harness.smtp.received.length).to.equal(before + 1);
  });
});
