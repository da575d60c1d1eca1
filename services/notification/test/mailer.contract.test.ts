// One contract, two adapters (DESIGN §5): what a Mailer must do whether mail goes over SMTP
// (nodemailer to a real smtp-server) or into .eml files (embedded mode).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import PostalMime, { type Email } from 'postal-mime';
import { createFileMailer, createSmtpMailer, type Mailer, type OutgoingEmail } from '../src/index.js';
import { silentLogger } from './support/logs.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const FROM = 'Cartwheel <no-reply@cartwheel.local>';

interface MailerUnderTest {
  mailer: Mailer;
  /** Every message the transport delivered so far, parsed, in order. */
  received(): Promise<Email[]>;
  stop(): Promise<void>;
}

const adapters: Array<{ name: string; start(): Promise<MailerUnderTest> }> = [
  {
    name: 'SMTP (nodemailer → smtp-server)',
    async start() {
      const server: TestSmtpServer = await startTestSmtpServer();
      const mailer = createSmtpMailer({ url: server.url, from: FROM, logger: silentLogger });
      return {
        mailer,
        received: async () => server.received.map((mail) => mail.email),
        stop: async () => {
          await mailer.close();
          await server.stop();
        },
      };
    },
  },
  {
    name: '.eml files',
    async start() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-mail-'));
      const mailer = createFileMailer({ dir: path.join(dir, 'mail'), from: FROM, logger: silentLogger });
      return {
        mailer,
        received: () =>
          Promise.all(
            readdirSync(path.join(dir, 'mail'))
              .filter((file) => file.endsWith('.eml'))
              .sort()
              .map((file) => PostalMime.parse(readFileSync(path.join(dir, 'mail', file)))),
          ),
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

const anEmail = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  type: 'order_confirmation',
  to: ['customer@example.com'],
  subject: 'Your Cartwheel order #3F2A9C1B is confirmed ($609.97)',
  html: '<p>Thank you for your order!</p>',
  text: 'Thank you for your order!',
  messageId: '<0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa@cartwheel.local>',
  ...overrides,
});

for (const adapter of adapters) {
  describe(`Mailer contract: ${adapter.name}`, function () {
    let under: MailerUnderTest;
    beforeEach(async function () {
      under = await adapter.start();
    });
    afterEach(async function () {
      await under?.stop();
    });

    it('when an email is sent, then exactly one message arrives with its From, To, Subject, Message-ID and both parts', async function () {
      await under.mailer.send(anEmail());

      const received = await under.received();
      expect(received).to.have.length(1);
      const [mail] = received;
      expect(mail.from).to.deep.include({ address: 'no-reply@cartwheel.local', name: 'Cartwheel' });
      expect(mail.to?.map((a) => a.address)).to.deep.equal(['customer@example.com']);
      expect(mail.subject).to.equal('Your Cartwheel order #3F2A9C1B is confirmed ($609.97)');
      expect(mail.messageId).to.equal('<0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa@cartwheel.local>');
      expect(mail.html?.trim()).to.equal('<p>Thank you for your order!</p>');
      expect(mail.text?.trim()).to.equal('Thank you for your order!');
      const typeHeader = mail.headers.find((h) => h.key === 'x-cartwheel-notification');
      expect(typeHeader?.value).to.equal('order_confirmation');
    });

    it('when an email has several recipients, then one message is addressed to all of them', async function () {
      await under.mailer.send(
        anEmail({ type: 'inventory_low', to: ['ops@example.com', 'buyer@example.com'] }),
      );

      const received = await under.received();
      expect(received).to.have.length(1);
      expect(received[0].to?.map((a) => a.address)).to.deep.equal(['ops@example.com', 'buyer@example.com']);
    });

    it('when text carries non-ASCII characters, then they arrive intact', async function () {
      await under.mailer.send(
        anEmail({ subject: 'Café crème — €12.50 ✓', html: '<p>Grüße, Zoë 👋</p>', text: 'Grüße, Zoë 👋' }),
      );

      const [mail] = await under.received();
      expect(mail.subject).to.equal('Café crème — €12.50 ✓');
      expect(mail.html).to.include('Grüße, Zoë 👋');
      expect(mail.text).to.include('Grüße, Zoë 👋');
    });

    it('when a subject carries CR/LF, then it stays one header and no Bcc appears', async function () {
      await under.mailer.send(anEmail({ subject: 'Hello\r\nBcc: evil@example.com' }));

      const [mail] = await under.received();
      expect(mail.headers.map((h) => h.key)).to.not.include('bcc');
      expect(mail.subject).to.not.match(/[\r\n]/);
    });

    it('when the transport can take mail, then verify resolves', async function () {
      await under.mailer.verify();
    });
  });
}
