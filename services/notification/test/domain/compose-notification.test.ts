import { expect } from 'chai';
import {
  composeNotification,
  type ComposeSettings,
  type NotificationRequest,
} from '../../src/domain/compose-notification.js';
import type { Email } from '../../src/domain/notification.js';
import {
  aCancellation,
  aLowStock,
  anAiMessage,
  anOrder,
  aStatusChange,
  aUser,
  ORDER_ID,
} from './builders.js';

const settings: ComposeSettings = { adminEmails: ['ops@example.com', 'buyer@example.com'] };

function emailOf(request: NotificationRequest, options = settings): Email {
  const composed = composeNotification(request, options);
  if (!('email' in composed)) throw new Error(`expected an email, got skipped: ${composed.skipped}`);
  return composed.email;
}

describe('composeNotification', function () {
  describe('welcome', function () {
    it('greets the new user by first name at their address', function () {
      const email = emailOf({ type: 'welcome', data: aUser() });
      expect(email.to).to.deep.equal(['customer@example.com']);
      expect(email.subject).to.equal('Welcome to Cartwheel, Example!');
      expect(email.html).to.include('Welcome, Example!').and.include('customer@example.com');
      expect(email.text).to.include('Your Cartwheel account customer@example.com is ready.');
    });
  });

  describe('order confirmation', function () {
    it('lists every item with quantity, unit price and subtotal, the total in the currency, and the address', function () {
      const email = emailOf({ type: 'order_confirmation', data: anOrder() });
      expect(email.to).to.deep.equal(['customer@example.com']);
      expect(email.subject).to.equal('Your Cartwheel order #3F2A9C1B is confirmed ($609.97)');
      for (const part of [email.html, email.text]) {
        expect(part)
          .to.include('Wireless Noise-Cancelling Headphones')
          .and.include('$249.99')
          .and.include('Smart Fitness Watch')
          .and.include('$179.99')
          .and.include('$359.98')
          .and.include('$609.97')
          .and.include('123 Example Street')
          .and.include('Apt 4B')
          .and.include('Example City, EX 12345')
          .and.include('Example Country')
          .and.include(ORDER_ID);
      }
      expect(email.text).to.include('- Smart Fitness Watch: 2 × $179.99 = $359.98');
      expect(email.text).to.include('Total: $609.97');
    });

    it('escapes a product named <script>, so it renders as text', function () {
      const order = anOrder({
        items: [{ product_id: 'p1', name: '<script>alert("x")</script>', quantity: 1, price: 5 }],
        total_price: 5,
        shipping_address: { line1: '<img src=x onerror=alert(1)>', city: 'A & B' },
      });
      const email = emailOf({ type: 'order_confirmation', data: order });
      expect(email.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(email.html).to.include('&lt;img src=x onerror=alert(1)&gt;').and.include('A &amp; B');
      expect(email.html).to.not.include('<script').and.not.include('<img');
      // The text part is plain text: the name shows as typed.
      expect(email.text).to.include('<script>alert("x")</script>');
    });

    it('says so when the order has no address', function () {
      const email = emailOf({ type: 'order_confirmation', data: anOrder({ shipping_address: null }) });
      expect(email.text).to.include('No address given');
    });

    it('formats the money in the order currency', function () {
      const email = emailOf({
        type: 'order_confirmation',
        data: anOrder({
          currency: 'EUR',
          items: [{ product_id: 'p', name: 'P', quantity: 3, price: 0.1 }],
          total_price: 0.3,
        }),
      });
      expect(email.subject).to.include('(€0.30)');
      expect(email.text).to.include('3 × €0.10 = €0.30');
    });
  });

  describe('order status', function () {
    for (const [status, type, subject] of [
      ['paid', 'order_paid', 'Payment received for your Cartwheel order #3F2A9C1B'],
      ['shipped', 'order_shipped', 'Your Cartwheel order #3F2A9C1B has shipped'],
      ['delivered', 'order_delivered', 'Your Cartwheel order #3F2A9C1B has been delivered'],
    ] as const) {
      it(`when the order is ${status}, then the subject says so`, function () {
        const email = emailOf({ type, data: aStatusChange(status) });
        expect(email.type).to.equal(type);
        expect(email.subject).to.equal(subject);
        expect(email.text).to.include(ORDER_ID).and.include('15 May 2026 at 12:00 UTC');
      });
    }

    it('writes the cancellation from order.cancelled', function () {
      const email = emailOf({ type: 'order_cancelled', data: aCancellation() });
      expect(email.subject).to.equal('Your Cartwheel order #3F2A9C1B has been cancelled');
      expect(email.html).to.include('Your order has been cancelled');
    });

    it('refuses a status that has no email', function () {
      expect(() => emailOf({ type: 'order_paid', data: aStatusChange('cancelled') })).to.throw(
        'no email for order status "cancelled"',
      );
    });
  });

  describe('inventory low', function () {
    it('alerts every configured admin with the product and what is left', function () {
      const email = emailOf({ type: 'inventory_low', data: aLowStock() });
      expect(email.to).to.deep.equal(['ops@example.com', 'buyer@example.com']);
      expect(email.subject).to.equal('Low stock: product p-smartphone is down to 4 units');
      expect(email.text).to.include('reorder threshold of 5');
    });

    it('when no admin address is configured, then nothing is sent', function () {
      expect(
        composeNotification({ type: 'inventory_low', data: aLowStock() }, { adminEmails: [] }),
      ).to.deep.equal({
        skipped: 'no admin address configured',
      });
    });
  });

  describe('AI follow-up', function () {
    it('keeps simple formatting and links, inside the layout, with the text part as written', function () {
      const email = emailOf({ type: 'ai_follow_up', data: anAiMessage() });
      expect(email.to).to.deep.equal(['customer@example.com']);
      expect(email.subject).to.equal('A few ideas to go with your new headphones');
      expect(email.html)
        .to.include('<strong>headphones</strong>')
        .and.include('<a href="https://shop.example/cases">case</a>')
        .and.include('CARTWHEEL');
      expect(email.text).to.include('Your headphones pair well with a case');
    });

    it('removes scripts, styles, event handlers, images and javascript: links from its HTML', function () {
      const email = emailOf({
        type: 'ai_follow_up',
        data: anAiMessage({
          html:
            '<p onclick="steal()">Hi<script>alert(1)</script><style>p{display:none}</style>' +
            '<img src="https://t.example/px" onerror="x()"><a href="javascript:alert(1)">click</a>' +
            '<a href="//evil.example">rel</a><iframe src="https://evil.example"></iframe></p>',
        }),
      });
      expect(email.html).to.include('<p>Hi<a>click</a><a>rel</a></p>');
      for (const banned of [
        'script',
        'alert',
        'style>',
        'onclick',
        'onerror',
        '<img',
        'javascript:',
        'iframe',
      ]) {
        expect(email.html).to.not.include(banned);
      }
    });

    it('puts its subject on one line', function () {
      const email = emailOf({
        type: 'ai_follow_up',
        data: anAiMessage({ subject: 'Thanks!\r\nBcc: everyone@example.com' }),
      });
      expect(email.subject).to.equal('Thanks! Bcc: everyone@example.com');
    });
  });

  describe('recipients', function () {
    it('when an order event has no user_email, then nothing is sent', function () {
      expect(
        composeNotification({ type: 'order_cancelled', data: aCancellation({ user_email: null }) }, settings),
      ).to.deep.equal({ skipped: 'no recipient address' });
    });

    it('when an address carries CR/LF and a Bcc header, then nothing is sent', function () {
      for (const request of [
        {
          type: 'order_confirmation',
          data: anOrder({ user_email: 'a@example.com\r\nBcc: evil@example.com' }),
        },
        { type: 'welcome', data: aUser({ email: 'a@example.com\nBcc: evil@example.com' }) },
        { type: 'ai_follow_up', data: anAiMessage({ to: 'a@example.com, evil@example.com' }) },
        { type: 'order_paid', data: aStatusChange('paid', { user_email: 'Evil <evil@example.com>' }) },
      ] satisfies NotificationRequest[]) {
        expect(composeNotification(request, settings)).to.deep.equal({
          skipped: 'recipient is not a valid email address',
        });
      }
    });

    it('when a name carries CR/LF, then the subject stays one line', function () {
      const email = emailOf({ type: 'welcome', data: aUser({ first_name: 'Eve\r\nBcc: evil@example.com' }) });
      expect(email.subject).to.equal('Welcome to Cartwheel, Eve Bcc: evil@example.com!');
    });
  });
});
