import { createHash } from 'node:crypto';

export const MESSAGE_ID_DOMAIN = 'cartwheel.local';

/**
 * The Message-ID of the email an event causes: `<event-id@cartwheel.local>`, the same on every
 * delivery of that event, so even a resend after a crash is recognisable as one message. An id
 * with characters a Message-ID cannot hold is replaced by its SHA-256.
 */
export function messageIdFor(eventId: string): string {
  const local = /^[A-Za-z0-9._-]{1,128}$/.test(eventId)
    ? eventId
    : createHash('sha256').update(eventId).digest('hex');
  return `<${local}@${MESSAGE_ID_DOMAIN}>`;
}
