/** A fresh Idempotency-Key: one per checkout attempt, so a retried click never orders twice. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** The first characters of an order id, for lists and headings (the full id stays in the URL). */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** A date and time as people read them here: `Mar 3, 2025, 14:05`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
