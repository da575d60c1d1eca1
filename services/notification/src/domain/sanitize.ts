import sanitizeHtml from 'sanitize-html';
import { trustedHtml, type SafeHtml } from './html.js';

/**
 * What AI-written HTML may keep: simple text formatting, lists and links over http(s) or mailto.
 * Everything else goes — scripts and styles with their content, event handlers, images, forms,
 * iframes, `javascript:` and protocol-relative URLs.
 */
const ALLOW_LIST: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'blockquote'],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/** HTML from another service (the AI follow-up) reduced to the allow-list. */
export const sanitizeEmailHtml = (markup: string): SafeHtml => trustedHtml(sanitizeHtml(markup, ALLOW_LIST));
