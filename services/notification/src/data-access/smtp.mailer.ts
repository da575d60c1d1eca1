import type { Logger } from '@cartwheel/kit';
import nodemailer from 'nodemailer';
import type { Mailer } from '../domain/ports.js';
import { mailMessage } from './mail-message.js';

/** A send that has not finished by then is aborted (and retried by the bus). */
export const SMTP_SEND_TIMEOUT_MS = 60_000;

export interface SmtpMailerOptions {
  /** `smtp://host:port` or `smtps://user:pass@host:465`; nodemailer options may follow as query parameters. */
  url: string;
  from: string;
  logger: Logger;
}

/**
 * The SMTP adapter (nodemailer, one connection per message): a message counts as sent once the
 * server answered 250 to DATA. Timeouts are short enough that a hung server fails the attempt
 * well within the de-duplication claim (2 min).
 *
 * @example const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:1025', from, logger });
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(email) {
      const info = await transport.sendMail({
        ...mailMessage(email, options.from),
        signal: AbortSignal.timeout(SMTP_SEND_TIMEOUT_MS),
      });
      options.logger.debug({ messageId: info.messageId, response: info.response }, 'SMTP accepted the email');
    },
    async verify() {
      await transport.verify();
    },
    async close() {
      transport.close();
    },
  };
}
