import { words } from './shopping-query.js';

/** Money written with a currency sign or code: `$249.99`, `$1,299`, `249.99 USD`, `249.99 dollars`. */
const MONEY =
  /(?:[$€£]\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?)|(?:\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:USD|EUR|GBP|dollars?|euros?)\b)/gi;

/** Every amount of money `text` states. */
export function amountsIn(text: string): number[] {
  return [...text.matchAll(MONEY)].map((m) => {
    const whole = (m[1] ?? m[3]).replace(/,/g, '');
    return Number(`${whole}.${m[2] ?? m[4] ?? '0'}`);
  });
}

/** Plain numbers in `text` (a shopper's budget may be echoed back). */
export function numbersIn(text: string): number[] {
  return (text.match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
}

const MAX_MULTIPLE = 10;

/**
 * Amounts in `reply` that are neither a known price, a small multiple of one (2 × 179.99), a sum
 * of two (249.99 + 179.99), nor a number the shopper wrote. Empty means every price in the reply is
 * grounded.
 */
export function ungroundedAmounts(reply: string, prices: number[], shopperNumbers: number[]): number[] {
  const allowed = new Set<number>();
  const add = (value: number) => allowed.add(Math.round(value * 100));
  shopperNumbers.forEach(add);
  for (const [i, price] of prices.entries()) {
    for (let n = 1; n <= MAX_MULTIPLE; n += 1) add(price * n);
    for (const other of prices.slice(i + 1)) add(price + other);
  }
  return amountsIn(reply).filter((amount) => !allowed.has(Math.round(amount * 100)));
}

const LEAK_WINDOW = 10;

/**
 * True when `reply` repeats `LEAK_WINDOW` consecutive words of any of `instructions`: the model
 * was talked into quoting its system prompt.
 */
export function repeatsInstructions(reply: string, instructions: string[]): boolean {
  const grams = new Set<string>();
  for (const text of instructions) {
    const list = words(text);
    for (let i = 0; i + LEAK_WINDOW <= list.length; i += 1)
      grams.add(list.slice(i, i + LEAK_WINDOW).join(' '));
  }
  const said = words(reply);
  for (let i = 0; i + LEAK_WINDOW <= said.length; i += 1) {
    if (grams.has(said.slice(i, i + LEAK_WINDOW).join(' '))) return true;
  }
  return false;
}

/** The products of `cited` that `reply` names (by name or id, any case), in the order they were cited. */
export function mentioned<T extends { id: string; name: string }>(reply: string, cited: Iterable<T>): T[] {
  const lower = reply.toLowerCase();
  return [...cited].filter(
    (product) => lower.includes(product.name.toLowerCase()) || lower.includes(product.id.toLowerCase()),
  );
}
