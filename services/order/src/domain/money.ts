/** Largest unit price the catalog accepts (product README: price ≤ 1,000,000). */
export const MAX_PRICE = 1_000_000;

const TWO_DECIMALS = /^\d+(\.\d{1,2})?$/;

/**
 * True when `amount` is a non-negative number written with at most two decimals. Checked on the
 * number's shortest decimal form, so `0.1 + 0.2` (0.30000000000000004) is refused, not rounded.
 */
export const hasAtMostTwoDecimals = (amount: number): boolean =>
  Number.isFinite(amount) && TWO_DECIMALS.test(String(amount));

/** An amount with at most two decimals as integer cents (899.99 → 89999). */
export function toCents(amount: number): number {
  if (!hasAtMostTwoDecimals(amount)) throw new RangeError(`${amount} is not an amount in cents`);
  return Math.round(amount * 100);
}

/**
 * Integer cents as the number the API shows (60997 → 609.97). Dividing an integer by 100 gives
 * the double nearest to the decimal, whose shortest form is exactly that decimal.
 */
export const fromCents = (cents: number): number => cents / 100;
