/** The largest price the catalog accepts, in major units. */
export const MAX_PRICE = 1_000_000;

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Converts an amount in major units (a JSON number) to integer minor units, exactly. The check
 * runs on the number's shortest decimal representation (`String(899.99)` is `"899.99"`), so a
 * float artefact such as `0.30000000000000004` is refused instead of silently rounded.
 * Returns a message for the client when the amount is not a positive price with at most two
 * decimals and at most `MAX_PRICE`.
 */
export function priceToCents(amount: number): { cents: number } | { problem: string } {
  if (!Number.isFinite(amount)) return { problem: 'must be a number' };
  if (amount > MAX_PRICE) return { problem: `must be at most ${MAX_PRICE}` };
  if (amount <= 0) return { problem: 'must be greater than 0' };
  const match = DECIMAL.exec(String(amount));
  if (!match) return { problem: 'must have at most two decimals' };
  return { cents: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) };
}

/**
 * Parses a price bound from a query string ("100", "99.5") into minor units; undefined when it
 * is not a non-negative amount with at most two decimals.
 */
export function decimalToCents(text: string): number | undefined {
  const match = DECIMAL.exec(text);
  if (!match || match[1].length > 9) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Minor units as the API shows them: a number with at most two decimals (89999 → 899.99). */
export const centsToAmount = (cents: number): number => cents / 100;
