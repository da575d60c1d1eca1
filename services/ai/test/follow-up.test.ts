// order.placed → ai.notification.ready on the real Kafka broker (one partition per topic, so a
// sentinel order's notification arriving proves every earlier one has been published or skipped).
import { createEvent, type CloudEvent, type Subscription } from '@cartwheel/kit';
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import type { FollowUpNotification as Notification } from '../src/domain/send-follow-up.use-case.js';
import { answer, toolUse } from './support/fake-anthropic.js';
import { startPlatform, WATCH, HEADPHONES, type Platform, type RunningAi } from './support/platform.js';

describe('order.placed → ai.notification.ready (Kafka)', function () {
  this.timeout(90_000);
  let platform: Platform;
  let ai: RunningAi;
  let watcher: Subscription;
  const received: Array<CloudEvent<Notification>> = [];
  const dead: CloudEvent[] = [];

  /** An order.placed event as the order service publishes it: headphones and two watches, 609.97. */
  function placed(orderId = uniqueName('order'), extra: Record<string, unknown> = {}): CloudEvent {
    return createEvent({
      source: '/services/order',
      type: 'order.placed',
      subject: orderId,
      data: {
        _id: orderId,
        user_id: '42',
        user_email: 'shopper@example.com',
        items: [
          { product_id: platform.ids[HEADPHONES], name: HEADPHONES, quantity: 1, price: 249.99 },
          { product_id: platform.ids[WATCH], name: WATCH, quantity: 2, price: 179.99 },
        ],
        total_price: 609.97,
        currency: 'USD',
        status: 'pending',
        shipping_address: { line1: '123 Example Street', city: 'Example City' },
        created_at: new Date().toISOString(),
        ...extra,
      },
    });
  }

  /**
   * Publishes `events` on the orders topic, then a sentinel order, and waits for the sentinel's
   * notification: returns the notifications of `events` (the sentinel's left out).
   */
  async function deliver(...events: CloudEvent[]): Promise<Array<CloudEvent<Notification>>> {
    const from = received.length;
    const sentinel = placed(uniqueName('sentinel'));
    for (const event of [...events, sentinel]) await platform.bus.publish(platform.topics.orders, [event]);
    await eventually('the sentinel notification', () => received.some((e) => e.subject === sentinel.subject));
    return received.slice(from).filter((e) => e.subject !== sentinel.subject);
  }

  /** The ai service's consumer group: a restarted instance resumes from its committed offsets. */
  const group = uniqueName('ai');

  /** Starts the ai service; its model writes a plain email unless a test scripts another answer. */
  async function startAi(): Promise<RunningAi> {
    const started = await platform.startAi({ groupId: group });
    started.fake.otherwise = answer(
      toolUse('write_email', { subject: 'Thank you!', paragraphs: ['We hope you enjoy your order.'] }),
    );
    return started;
  }

  before(async () => {
    platform = await startPlatform({ bus: 'kafka' });
    ai = await startAi();
    watcher = await platform.bus.subscribe({
      groupId: uniqueName('watcher'),
      topics: [platform.topics.notifications],
      handler: async (event) => void received.push(event as CloudEvent<Notification>),
    });
    await platform.bus.subscribe({
      groupId: uniqueName('dlq-watcher'),
      topics: [`${platform.topics.orders}.dlq`],
      handler: async (event) => void dead.push(event),
    });
  });
  after(async () => {
    await watcher?.stop();
    await ai?.stop();
    await platform?.stop();
  });
  beforeEach(() => {
    ai.fake.requests.length = 0;
  });

  it('when the same order.placed is delivered twice, then one ai.notification.ready is published for the order', async () => {
    const event = placed();

    const notifications = await deliver(event, event);

    expect(notifications).to.have.length(1);
    const [notification] = notifications;
    expect(notification).to.deep.include({
      id: `ai-notification-${event.subject}`,
      type: 'ai.notification.ready',
      subject: event.subject,
      source: '/services/ai',
    });
    expect(notification.data).to.deep.include({
      order_id: event.subject,
      user_id: '42',
      to: 'shopper@example.com',
    });
    // One provider call for the order and one for the sentinel: the duplicate wrote nothing.
    expect(ai.fake.requests).to.have.length(2);
  });

  it('when the service restarts and the order is delivered again, then it republishes under the same event id', async () => {
    const event = placed();
    const [first] = await deliver(event);
    await ai.stop();
    ai = await startAi();

    const [again] = await deliver(event);

    expect(again.id).to.equal(first.id).and.to.equal(`ai-notification-${event.subject}`);
    expect(again.data.to).to.equal(first.data.to);
  });

  it('when the model writes the email, then its words are escaped in HTML and the amounts come from the order', async () => {
    ai.fake.script(
      answer(
        toolUse('write_email', {
          subject: 'Your new watches are on their way',
          paragraphs: ['Thank you! Wear them on <b>every</b> run.'],
        }),
      ),
    );

    const [notification] = await deliver(placed());

    expect(notification.data.subject).to.equal('Your new watches are on their way');
    expect(notification.data.html).to.contain('Wear them on &lt;b&gt;every&lt;/b&gt; run.');
    expect(notification.data.html).not.to.contain('<b>every</b>');
    expect(notification.data.text).to.contain(`2 × ${WATCH}: $359.98`).and.to.contain('Total: $609.97');
    const request = ai.fake.requests[0].body;
    expect(request.tool_choice).to.deep.equal({ type: 'tool', name: 'write_email' });
    expect(JSON.stringify(request))
      .not.to.contain('shopper@example.com')
      .and.not.to.contain('Example Street');
  });

  it('when the model invents an amount, then the template email is sent instead', async () => {
    ai.fake.script(
      answer(
        toolUse('write_email', { subject: 'A gift for you', paragraphs: ['Take $50 off your next order!'] }),
      ),
    );

    const [notification] = await deliver(placed());

    expect(notification.data.subject).to.equal('Thank you for your Cartwheel order');
    expect(notification.data.text).not.to.contain('$50');
    expect(notification.data.text).to.contain(`We hope you enjoy your ${HEADPHONES}`);
  });

  it('when other order events arrive, then nothing is written or published for them', async () => {
    const orderId = uniqueName('order');
    const other = (type: string) =>
      createEvent({ source: '/services/order', type, subject: orderId, data: { _id: orderId } });

    const notifications = await deliver(other('order.status_changed'), other('order.cancelled'));

    expect(notifications).to.deep.equal([]);
    expect(ai.fake.requests).to.have.length(1); // the sentinel's
  });

  it('when an order.placed lacks the email address, then it is parked in the DLQ and nothing is published', async () => {
    const event = placed(uniqueName('order'), { user_email: undefined });

    const notifications = await deliver(event);
    await eventually('the malformed event in the DLQ', () => dead.some((e) => e.id === event.id));

    expect(notifications).to.deep.equal([]);
  });
});
