// The ServiceDefinition as `make start` and the service's own main.ts run it: configuration from
// the environment, the embedded bus, .eml files without SMTP_URL, SMTP (and Redis) with them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConfigError, createEmbeddedBus, type EventBus, type RunningService } from '@cartwheel/kit';
import { eventually, testServers } from '@cartwheel/testing';
import { expect } from 'chai';
import PostalMime from 'postal-mime';
import { service } from '../src/index.js';
import { messageIdOf, orderPlacedEvent, userCreatedEvent } from './support/harness.js';
import { capturedLogger, silentLogger } from './support/logs.js';
import { startTestSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

describe('notification service definition', function () {
  this.timeout(30_000);
  let dataDir: string;
  let bus: EventBus;
  let running: RunningService | undefined;
  beforeEach(function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-notification-'));
    bus = createEmbeddedBus();
  });
  afterEach(async function () {
    await running?.stop();
    running = undefined;
    await bus.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (env: NodeJS.ProcessEnv, logger = silentLogger) =>
    service.start({ mode: 'embedded', dataDir, bus, logger, env: { LOG_LEVEL: 'silent', ...env } }, 0);

  it('is the notification service on port 8085', function () {
    expect(service).to.include({ name: 'notification', defaultPort: 8085 });
  });

  it('when it runs embedded without SMTP_URL, then an order confirmation becomes a parseable .eml under <data dir>/mail, logged with its subject', async function () {
    const { logger, lines } = capturedLogger();
    running = await start({}, logger);
    const orderId = randomUUID();
    const placed = orderPlacedEvent(orderId);

    await bus.publish('orders', [placed]);

    const mailDir = path.join(dataDir, 'mail');
    await eventually('the .eml file', () =>
      readdirSync(mailDir, { withFileTypes: true }).some((f) => f.name.endsWith('.eml')),
    );
    const [file] = readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
    expect(file).to.match(new RegExp(`-order_confirmation-${placed.id}@cartwheel\\.local\\.eml$`));
    const email = await PostalMime.parse(readFileSync(path.join(mailDir, file)));
    const subject = `Your Cartwheel order #${orderId.slice(0, 8).toUpperCase()} is confirmed ($609.97)`;
    expect(email.subject).to.equal(subject);
    expect(email.messageId).to.equal(messageIdOf(placed));
    expect(email.to?.map((a) => a.address)).to.deep.equal(['customer@example.com']);
    expect(email.from).to.deep.include({ name: 'Cartwheel', address: 'no-reply@cartwheel.local' });
    expect(email.text).to.include('Total: $609.97');
    expect(email.html).to.include('Smart Fitness Watch');
    expect(lines.find((l) => l.message === 'email written')).to.deep.include({ level: 'info', subject });

    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).to.match(/notification_emails_sent_total\{[^}]*type="order_confirmation"[^}]*\} 1/);
    const ready = await fetch(`${running.url}/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ checks: { 'event bus': 'ok' } });
  });

  describe('with SMTP_URL and REDIS_URL', function () {
    let smtp: TestSmtpServer;
    beforeEach(async function () {
      smtp = await startTestSmtpServer();
    });
    afterEach(async function () {
      await running?.stop();
      running = undefined;
      await smtp.stop().catch(() => undefined);
    });

    it('when an event arrives, then the email goes over SMTP from MAIL_FROM and nothing is written to disk', async function () {
      running = await start({
        SMTP_URL: smtp.url,
        REDIS_URL: testServers().redisUrl,
        MAIL_FROM: 'Shop <hello@shop.example>',
      });
      const created = userCreatedEvent('7');

      await bus.publish('users', [created]);

      await eventually('the welcome email over SMTP', () => smtp.received.length === 1);
      expect(smtp.received[0].envelope).to.deep.equal({
        from: 'hello@shop.example',
        to: ['new.user@example.com'],
      });
      expect(smtp.received[0].email.messageId).to.equal(messageIdOf(created));
      expect(readdirSync(dataDir)).to.not.include('mail');
    });

    it('when the SMTP server is down, then /ready answers 503 naming smtp, and 200 once it is back', async function () {
      running = await start({ SMTP_URL: smtp.url });
      expect((await fetch(`${running.url}/ready`)).status).to.equal(200);

      await smtp.stop();
      const down = await fetch(`${running.url}/ready`);
      expect(down.status).to.equal(503);
      const problem = (await down.json()) as { detail: string; checks: Record<string, string> };
      expect(problem.detail).to.equal('notification is not ready: smtp unavailable');
      expect(problem.checks.smtp).to.include('ECONNREFUSED');

      await smtp.start();
      expect((await fetch(`${running.url}/ready`)).status).to.equal(200);
    });
  });

  it('when variables are invalid, then start fails naming each of them', async function () {
    const error = await start({
      SMTP_URL: 'http://mail.example',
      NOTIFY_ADMIN_EMAILS: 'ops@example.com, not-an-address',
      NOTIFY_MAX_RETRIES: '-1',
      NOTIFY_RETRY_BACKOFF_MS: 'soon',
      NOTIFY_DEDUP_TTL_SEC: '5',
      MAIL_FROM: 'Cartwheel\r\nBcc: evil@example.com <x@example.com>',
      REDIS_URL: 'localhost:6379',
    }).catch((e: unknown) => e);

    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'SMTP_URL',
      'NOTIFY_ADMIN_EMAILS.1',
      'NOTIFY_MAX_RETRIES',
      'NOTIFY_RETRY_BACKOFF_MS',
      'NOTIFY_DEDUP_TTL_SEC',
      'MAIL_FROM',
      'REDIS_URL',
    ]) {
      expect(problems).to.include(`${name}:`);
    }
  });
});
