/**
 * Money in the browser: the API sends amounts as numbers with at most two decimals; sums are
 * made in integer cents so 249.99 + 2 × 179.99 is exactly 609.97, as the order service says.
 */

/** Integer cents of an API amount (249.99 → 24999). */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** An amount in cents back as the API's number (60997 → 609.97). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** `amount` for people: `$609.97` in en-US; the browser's locale unless one is given. */
export function formatMoney(amount: number, currency = 'USD', locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}

/**
 * A price typed into a form (`"12.5"`, `" 12.50 "`) as the API's number, or undefined when it
 * is not an amount ≥ 0 with at most two decimals.
 */
export function parseAmount(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(trimmed)) return undefined;
  return fromCents(toCents(Number(trimmed)));
}
