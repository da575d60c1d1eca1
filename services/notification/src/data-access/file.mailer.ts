import { constants } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@cartwheel/kit';
import nodemailer from 'nodemailer';
import type { Mailer } from '../domain/ports.js';
import { mailMessage } from './mail-message.js';

export interface FileMailerOptions {
  /** Where the `.eml` files go (`<CARTWHEEL_DATA_DIR>/mail`). */
  dir: string;
  from: string;
  logger: Logger;
}

/** 2026-11-21T12:14:09.123Z → 20261121T121409123Z: sorts by time, safe in file names. */
const stamp = (date: Date) => date.toISOString().replace(/[-:.]/g, '');

/**
 * The embedded-mode adapter: nodemailer's stream transport builds exactly the MIME the SMTP
 * adapter would send, and it is written to `<dir>/<time>-<type>-<message id>.eml` (first to a
 * hidden `.…eml.tmp`, then renamed, so a reader never sees half a file under an `.eml` name). Each email is also
 * logged with its subject. Open the files with any mail client, or read them as text.
 *
 * @example const mailer = createFileMailer({ dir: '.data/mail', from, logger });
 */
export function createFileMailer(options: FileMailerOptions): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'file',
    async send(email) {
      const info = await transport.sendMail(mailMessage(email, options.from));
      const id = email.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
      const name = `${stamp(new Date())}-${email.type}-${id}.eml`;
      const file = path.join(options.dir, name);
      const partial = path.join(options.dir, `.${name}.tmp`);
      await mkdir(options.dir, { recursive: true });
      await writeFile(partial, info.message as Buffer);
      await rename(partial, file);
      options.logger.info({ to: email.to, subject: email.subject, file }, 'email written');
    },
    async verify() {
      await mkdir(options.dir, { recursive: true });
      await access(options.dir, constants.W_OK);
    },
    async close() {},
  };
}
