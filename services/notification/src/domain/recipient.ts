import { z } from 'zod';

const address = z.email();

/**
 * True for one plain address (`someone@example.com`). Anything else — a display name, a list,
 * and above all CR/LF followed by a `Bcc:` — is refused: nodemailer would parse such a string
 * into extra envelope recipients.
 */
export const isEmailAddress = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 254 && address.safeParse(value).success;
