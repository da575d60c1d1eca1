import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createFileMailer, type OutgoingEmail } from '../src/index.js';
import { capturedLogger } from './support/logs.js';

const anEmail: OutgoingEmail = {
  type: 'order_confirmation',
  to: ['customer@example.com'],
  subject: 'Your Cartwheel order #3F2A9C1B is confirmed ($609.97)',
  html: '<p>Thanks</p>',
  text: 'Thanks',
  messageId: '<0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa@cartwheel.local>',
};

describe('file mailer (embedded mode)', function () {
  let root: string;
  beforeEach(function () {
    root = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-mail-'));
  });
  afterEach(function () {
    rmSync(root, { recursive: true, force: true });
  });

  it('when an email is written, then the file is named by time, type and message id, and the log line gives its subject', async function () {
    const { logger, lines } = capturedLogger();
    const dir = path.join(root, 'mail');
    const mailer = createFileMailer({ dir, from: 'no-reply@cartwheel.local', logger });

    await mailer.send(anEmail);

    const files = readdirSync(dir);
    expect(files).to.have.length(1);
    expect(files[0]).to.match(
      /^\d{8}T\d{9}Z-order_confirmation-0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa@cartwheel\.local\.eml$/,
    );
    const line = lines.find((l) => l.message === 'email written');
    expect(line).to.deep.include({
      level: 'info',
      subject: 'Your Cartwheel order #3F2A9C1B is confirmed ($609.97)',
      file: path.join(dir, files[0]),
    });
  });

  it('when the mail directory cannot be made, then verify and send reject', async function () {
    const blocked = path.join(root, 'not-a-dir');
    writeFileSync(blocked, 'a file in the way');
    const mailer = createFileMailer({
      dir: blocked,
      from: 'no-reply@cartwheel.local',
      logger: capturedLogger().logger,
    });

    let failures = 0;
    await mailer.verify().catch(() => failures++);
    await mailer.send(anEmail).catch(() => failures++);
    expect(failures).to.equal(2);
  });
});
