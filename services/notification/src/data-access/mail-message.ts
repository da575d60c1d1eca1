import type { SendMailOptions } from 'nodemailer';
import type { OutgoingEmail } from '../domain/ports.js';

/** Header naming what the email is about, for filters and for finding a mail in Mailpit. */
export const TYPE_HEADER = 'X-Cartwheel-Notification';

/** The nodemailer message both mailers build, so SMTP and `.eml` output are the same MIME. */
export const mailMessage = (email: OutgoingEmail, from: string): SendMailOptions => ({
  from,
  to: email.to,
  subject: email.subject,
  messageId: email.messageId,
  text: email.text,
  html: email.html,
  headers: { [TYPE_HEADER]: email.type },
});
