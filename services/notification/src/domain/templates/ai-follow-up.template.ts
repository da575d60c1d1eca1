import { headerText } from '../header-text.js';
import { layout } from '../layout.js';
import type { AiNotificationReady, EmailContent } from '../notification.js';
import { sanitizeEmailHtml } from '../sanitize.js';

/**
 * `ai.notification.ready` → the personalised follow-up the AI service wrote, inside our layout:
 * its HTML through the allow-list sanitizer, its subject on one line.
 */
export function aiFollowUpEmail(message: AiNotificationReady): EmailContent {
  const subject = headerText(message.subject) || 'A note about your Cartwheel order';
  return layout({ subject, heading: subject, body: sanitizeEmailHtml(message.html), text: message.text });
}
