import { expect } from 'chai';
import { createSmtpMailer, type Mailer, type OutgoingEmail } from '../src/index.js';
import { silentLogger } from './support/logs.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const anEmail = (to: string[]): OutgoingEmail => ({
  type: 'welcome',
  to,
  subject: 'Welcome to Cartwheel, Example!',
  html: '<p>Hi</p>',
  text: 'Hi',
  messageId: '<e-1@cartwheel.local>',
});

describe('SMTP mailer', function () {
  let server: TestSmtpServer;
  let mailer: Mailer;
  beforeEach(async function () {
    server = await startTestSmtpServer();
    mailer = createSmtpMailer({ url: server.url, from: 'no-reply@cartwheel.local', logger: silentLogger });
  });
  afterEach(async function () {
    await mailer.close();
    await server.stop();
  });

  it('when a message is sent, then the SMTP envelope holds exactly its recipients', async function () {
    await mailer.send(anEmail(['a@example.com', 'b@example.com']));

    expect(server.received.map((m) => m.envelope)).to.deep.equal([
      { from: 'no-reply@cartwheel.local', to: ['a@example.com', 'b@example.com'] },
    ]);
  });

  it('when the server answers 550 to DATA, then send rejects with the reply and nothing is received', async function () {
    server.refuse = (rcpt) => rcpt === 'refused@example.com';

    const error = await mailer.send(anEmail(['refused@example.com'])).then(
      () => undefined,
      (e: unknown) => e as Error & { responseCode?: number },
    );
    expect(error?.message).to.include('550');
    expect(error?.responseCode).to.equal(550);
    expect(server.received).to.have.length(0);
  });

  it('when the server is down, then verify and send reject; when it is back, the next send arrives', async function () {
    await server.stop();

    let failure: unknown;
    await mailer.verify().catch((e: unknown) => (failure = e));
    expect(String(failure)).to.include('ECONNREFUSED');
    failure = undefined;
    await mailer.send(anEmail(['a@example.com'])).catch((e: unknown) => (failure = e));
    expect(String(failure)).to.include('ECONNREFUSED');

    await server.start();
    await mailer.verify();
    await mailer.send(anEmail(['a@example.com']));
    expect(server.received).to.have.length(1);
  });
});
