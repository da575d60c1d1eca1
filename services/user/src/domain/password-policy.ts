/** Bounds of an acceptable password (DESIGN §6 "user"): long enough to resist guessing, short enough to hash cheaply. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * What is wrong with `password`, one message per broken rule; empty when it is acceptable.
 * Length counts code points, so an emoji is one character, not two.
 */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (!/\p{L}/u.test(password)) problems.push('must contain a letter');
  if (!/\p{Nd}/u.test(password)) problems.push('must contain a digit');
  return problems;
}
