import { html, type SafeHtml } from './html.js';
import type { EmailContent } from './notification.js';

export interface LayoutInput {
  /** One line; also the HTML title. Made header-safe by the caller. */
  subject: string;
  /** The first line of the message, shown large. */
  heading: string;
  body: SafeHtml;
  text: string;
}

const FOOTER = 'Cartwheel · This is an automated message; replies are not read.';

/**
 * The one layout every email shares: a simple, inline-styled HTML page (mail clients ignore
 * <style> blocks) and a plain-text part with the same content and footer.
 */
export function layout(input: LayoutInput): EmailContent {
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>${input.subject}</title>
      </head>
      <body
        style="margin:0;padding:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#18181b"
      >
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style="background:#f4f4f5;padding:24px 0"
        >
          <tr>
            <td align="center">
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                style="max-width:600px;background:#ffffff;border-radius:8px;padding:32px"
              >
                <tr>
                  <td style="font-size:14px;font-weight:bold;letter-spacing:1px;color:#6d28d9">CARTWHEEL</td>
                </tr>
                <tr>
                  <td>
                    <h1 style="font-size:22px;margin:16px 0">${input.heading}</h1>
                    ${input.body}
                  </td>
                </tr>
                <tr>
                  <td style="padding-top:32px;font-size:12px;color:#71717a">${FOOTER}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html> `;
  return {
    subject: input.subject,
    html: page.value,
    text: `${input.heading}\n\n${input.text.trim()}\n\n-- \n${FOOTER}\n`,
  };
}
