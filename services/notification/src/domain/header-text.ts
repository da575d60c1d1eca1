/** Longest subject we send; longer ones are cut with an ellipsis. */
export const MAX_SUBJECT_LENGTH = 200;

// C0 and C1 controls (CR, LF, TAB, NUL, …) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * A value made safe for a single-line header such as Subject: every control character (CR and
 * LF above all, which would start a new header) becomes a space, runs of spaces collapse, and
 * the result is at most `maxLength` characters.
 *
 * @example headerText('Hi\r\nBcc: x@evil.test') // 'Hi Bcc: x@evil.test'
 */
export function headerText(value: string, maxLength = MAX_SUBJECT_LENGTH): string {
  const line = value.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = [...line];
  return chars.length <= maxLength ? line : `${chars.slice(0, maxLength - 1).join('')}…`;
}
