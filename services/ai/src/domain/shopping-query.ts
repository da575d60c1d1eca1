import type { ProductFilters } from './catalog.js';

/** Words of a shopping request that say nothing about the product. */
const STOPWORDS = new Set(
  `a an the i im me my we our you your yours want wanna need needs looking look search find show
   give get buy buying purchase some any anything something with without and or of in on at to for is
   are was be do does did have has had please can could would will should like love recommend suggest
   suggestion suggestions what which whats there their good great best nice cheap cheaper
   expensive products product items item stuff things thing that this these those it its from about
   available sell sells selling got hi hello hey help around budget price priced prices cost costs
   costing dollars dollar usd eur euro euros bucks tell know how much many more less than
   s t m d ll re ve`.split(/\s+/),
);

/** Most keywords a query keeps (the catalog requires every one of them to match). */
export const MAX_KEYWORDS = 6;

const NUMBER = String.raw`\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:\$|usd|dollars?|bucks|eur|euros?)?`;
const num = (whole: string, cents?: string) => Number(`${whole.replace(/,/g, '')}.${cents ?? '0'}`);

const RANGES: Array<{ pattern: RegExp; apply: (filters: ProductFilters, a: number, b?: number) => void }> = [
  {
    pattern: new RegExp(String.raw`\b(?:between|from)\s+${NUMBER}\s*(?:and|to|-|–)\s*${NUMBER}`, 'i'),
    apply: (f, a, b) => Object.assign(f, { min_price: Math.min(a, b!), max_price: Math.max(a, b!) }),
  },
  {
    pattern: new RegExp(String.raw`${NUMBER}\s*(?:-|–)\s*${NUMBER}`, 'i'),
    apply: (f, a, b) => Object.assign(f, { min_price: Math.min(a, b!), max_price: Math.max(a, b!) }),
  },
  {
    pattern: new RegExp(
      String.raw`(?:\b(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|no more than|within|not over)|<=?)\s*${NUMBER}`,
      'i',
    ),
    apply: (f, a) => Object.assign(f, { max_price: a }),
  },
  {
    pattern: new RegExp(
      String.raw`(?:\b(?:over|above|more than|at least|min(?:imum)?|starting at|from)|>=?)\s*${NUMBER}`,
      'i',
    ),
    apply: (f, a) => Object.assign(f, { min_price: a }),
  },
];

/** Lower-case words of `text` (letters and digits). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const singular = (word: string) =>
  word.endsWith('ies') && word.length > 4
    ? `${word.slice(0, -3)}y`
    : word.endsWith('s') && !word.endsWith('ss')
      ? word.slice(0, -1)
      : word;

/**
 * The deterministic reading of a shopping request: prices ("under 300", "below $50",
 * "between 100 and 200", "100-200", "over 50"), a category named by the catalog's own category
 * names (singular or plural, any case), and the remaining meaningful words as `q`.
 *
 * @example parseShoppingQuery('wireless headphones under 300', ['Audio']) // { max_price: 300, q: 'wireless headphones' }
 */
export function parseShoppingQuery(text: string, categories: string[]): ProductFilters {
  const filters: ProductFilters = {};
  let rest = text;
  for (const { pattern, apply } of RANGES) {
    const match = pattern.exec(rest);
    if (!match) continue;
    apply(filters, num(match[1], match[2]), match[3] === undefined ? undefined : num(match[3], match[4]));
    rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
    if (filters.min_price !== undefined && filters.max_price !== undefined) break;
  }

  const remaining = words(rest);
  const byLength = [...categories].sort((a, b) => b.length - a.length);
  for (const category of byLength) {
    const target = words(category).map(singular).join(' ');
    if (!target) continue;
    for (let i = 0; i < remaining.length; i += 1) {
      const size = target.split(' ').length;
      if (
        remaining
          .slice(i, i + size)
          .map(singular)
          .join(' ') === target
      ) {
        filters.category = category;
        remaining.splice(i, size);
        break;
      }
    }
    if (filters.category) break;
  }

  const keywords = remaining.filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w)).slice(0, MAX_KEYWORDS);
  if (keywords.length > 0) filters.q = keywords.join(' ');
  return filters;
}

/**
 * Keywords as the catalog's prefix search matches them best: stop words dropped, plurals cut to a
 * prefix of the singular ("watches" → "watch", "headphones" → "headphone"), at most `MAX_KEYWORDS`.
 */
export function searchKeywords(q: string | undefined): string[] {
  if (!q) return [];
  const kept = words(q).filter((w) => !STOPWORDS.has(w));
  return [
    ...new Set(
      kept.map((w) => (w.endsWith('es') && w.length > 4 ? w.slice(0, -2) : w.length > 3 ? singular(w) : w)),
    ),
  ].slice(0, MAX_KEYWORDS);
}
