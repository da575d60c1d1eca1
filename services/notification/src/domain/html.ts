/**
 * HTML that is safe to put in an email as is: built by `html` (every interpolated value escaped)
 * or by the sanitizer. Templates can only produce markup through these, so a value from an
 * event can never become markup by accident.
 */
export class SafeHtml {
  /** Use `html` or `trustedHtml`, never this directly. */
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** What a template may interpolate: text (escaped), numbers, nested SafeHtml, lists of them, or nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Tagged template for markup: the literal parts are the template's own HTML, every `${value}` is
 * escaped unless it is already SafeHtml.
 *
 * @example html`<p>Hello ${name}</p>` // name "<script>" renders as &lt;script&gt;
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Marks markup as safe. Only for the output of the sanitizer. */
export const trustedHtml = (markup: string): SafeHtml => new SafeHtml(markup);
