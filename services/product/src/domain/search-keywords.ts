/**
 * Catalog search without `$text` (FerretDB has none): every product stores a `keywords` array of
 * normalised tokens and their prefixes, indexed as a multikey index; a query matches when every
 * one of its normalised words is in that array. User text only ever becomes plain
 * strings compared for equality, never a pattern or an operator.
 */

/** Tokens are cut to this length, in documents and queries alike, which bounds prefixes per token. */
export const MAX_TOKEN_LENGTH = 24;
/** The shortest prefix stored: one letter would match nearly everything and bloat the index. */
export const MIN_PREFIX_LENGTH = 2;
/** Words of a query beyond this are ignored (each one adds an equality term). */
export const MAX_QUERY_WORDS = 10;

/** Lower-cases and strips accents: "Café Noise-Cancelling" → "cafe noise-cancelling". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of `text`: folded runs of letters and digits, cut to `MAX_TOKEN_LENGTH`. */
export function tokens(text: string): string[] {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((token) => token.slice(0, MAX_TOKEN_LENGTH));
}

/**
 * The keywords of a product: every token of its name, description, category and tags, plus each
 * token's prefixes of at least `MIN_PREFIX_LENGTH` characters, so "cancel" finds
 * "Noise-Cancelling". Sorted and without duplicates.
 */
export function searchKeywords(fields: {
  name: string;
  description: string;
  category: string;
  tags: string[];
}): string[] {
  const keywords = new Set<string>();
  for (const text of [fields.name, fields.description, fields.category, ...fields.tags]) {
    for (const token of tokens(text)) {
      keywords.add(token);
      for (let length = MIN_PREFIX_LENGTH; length < token.length; length += 1) {
        keywords.add(token.slice(0, length));
      }
    }
  }
  return [...keywords].sort();
}

/**
 * The words a query must all match, normalised like the keywords. A query of punctuation only
 * ("(", "*", ".*") has no words: it matches nothing rather than everything.
 */
export function queryWords(query: string): string[] {
  return [...new Set(tokens(query))].slice(0, MAX_QUERY_WORDS);
}

/** The key a category or tag is filtered by: exact, but case-insensitive. */
export const filterKey = (text: string): string => text.trim().toLowerCase();
