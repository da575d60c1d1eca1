/**
 * `@cartwheel/web/testing`: what browser tests of the storefront share (the platform's
 * storefront test): Debian's Chromium through playwright-core, the axe-core scan, and a watch on
 * what the page itself reports (script errors, CSP violations). Tests only; never imported by
 * the gateway.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export type { Browser, BrowserContext, Page } from 'playwright-core';

/** TEST-INFRA's flags: headless Chromium that neither phones home nor updates itself. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the system Chromium (never a downloaded one: `npx playwright install` is not used). */
export function launchChromium(executablePath = '/usr/bin/chromium'): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now, one
 * line each (`rule (impact): help: selectors`); an empty list means none.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Collects what the page reports about itself: uncaught errors, console errors and Content
 * Security Policy violations (Chromium reports those on the console). Failed API calls the app
 * handles (a 401 it refreshes, a 404 it shows) are console errors too, so `problems` leaves out
 * "Failed to load resource" lines; CSP and script errors stay.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return { problems };
}

/** What a test may ask of the focused element (the browser's `document.activeElement`). */
export interface FocusExpectation {
  id?: string;
  text?: string;
  /** Its `aria-expanded`. */
  expanded?: string;
}

interface BrowserElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/** Waits until the focused element matches `expected` (focus moves after a render, not at once). */
export async function waitForFocus(page: Page, expected: FocusExpectation): Promise<void> {
  await page.waitForFunction((want: FocusExpectation) => {
    // Runs in the page: the DOM's globals, described here because tests compile without lib.dom.
    const element = (globalThis as unknown as { document: { activeElement: BrowserElement | null } }).document
      .activeElement;
    if (!element) return false;
    if (want.id !== undefined && element.id !== want.id) return false;
    if (want.text !== undefined && element.textContent !== want.text) return false;
    return want.expanded === undefined || element.getAttribute('aria-expanded') === want.expanded;
  }, expected);
}

/** Everything in the page's localStorage and sessionStorage (where tokens must, and must not, be). */
export async function browserStorage(
  page: Page,
): Promise<{ local: Record<string, string>; session: Record<string, string> }> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as { localStorage: object; sessionStorage: object };
    return { local: { ...scope.localStorage }, session: { ...scope.sessionStorage } } as {
      local: Record<string, string>;
      session: Record<string, string>;
    };
  });
}

/** How many pixels the page is wider than the window (> 0 means sideways scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return scope.document.documentElement.scrollWidth - scope.innerWidth;
  });
}
