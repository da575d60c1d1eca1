const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount as shoppers read it, with its currency: `formatMoney(609.97, 'USD')` → "$609.97".
 * Amounts arrive as JSON numbers with at most two decimals (DESIGN §6).
 */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  let format = formats.get(code);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    formats.set(code, format);
  }
  return format.format(amount);
}

/**
 * `price × quantity` computed in integer cents, so 3 × 0.1 is 0.3 and not 0.30000000000000004.
 *
 * @example lineTotal(179.99, 2) // 359.98
 */
export const lineTotal = (price: number, quantity: number): number =>
  (Math.round(price * 100) * quantity) / 100;
