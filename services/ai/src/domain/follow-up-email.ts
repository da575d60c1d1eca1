import { z } from 'zod';
import { withFallback, type ModelAccess, type Source } from './answer.js';
import { formatMoney } from './catalog.js';
import { repeatsInstructions, ungroundedAmounts } from './grounding.js';
import { ModelFailure, structuredOutput, type ToolSpec } from './model.js';
import { ALL_INSTRUCTIONS, EMAIL_INSTRUCTIONS, systemPrompt } from './prompts.js';

/** An order as `order.placed` announces it (only what the email needs). */
export interface PlacedOrder {
  id: string;
  userId: string;
  email: string;
  items: Array<{ product_id: string; name: string; quantity: number; price: number }>;
  total: number;
  currency: string;
}

export interface FollowUpEmail {
  subject: string;
  html: string;
  text: string;
}

/** What the model (or the template) writes; greeting, order summary and signature are added around it. */
interface EmailCopy {
  subject: string;
  paragraphs: string[];
}

export const WRITE_EMAIL_TOOL: ToolSpec = {
  name: 'write_email',
  description: 'Writes the follow-up email: a subject and one to three short paragraphs of plain text.',
  input_schema: {
    type: 'object',
    properties: {
      subject: { type: 'string', maxLength: 80 },
      paragraphs: { type: 'array', items: { type: 'string', maxLength: 600 }, minItems: 1, maxItems: 3 },
    },
    required: ['subject', 'paragraphs'],
    additionalProperties: false,
  },
};

const emailOutput = z.strictObject({
  subject: z.string().trim().min(1).max(120),
  paragraphs: z.array(z.string().trim().min(1).max(600)).min(1).max(3),
});

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const lineTotal = (item: PlacedOrder['items'][number]) =>
  (Math.round(item.price * 100) * item.quantity) / 100;

/** The template's words: used without a model, and whenever the model's are unusable. */
function templateCopy(order: PlacedOrder): EmailCopy {
  const [first, ...others] = order.items;
  const enjoy =
    others.length === 0
      ? `We hope you enjoy your ${first.name}.`
      : `We hope you enjoy your ${first.name} and the ${others.length === 1 ? 'other item' : `${others.length} other items`} in your order.`;
  return {
    subject: 'Thank you for your Cartwheel order',
    paragraphs: [
      'Thank you for shopping at Cartwheel. We have received your order and are getting it ready.',
      `${enjoy} We will write again when it ships; if anything is not right, just reply to this email.`,
    ],
  };
}

/**
 * The email around the copy: a greeting, the paragraphs, the order's lines and total (always from
 * the order itself, never from the model) and a signature; HTML-escaped in the HTML part.
 */
export function renderEmail(order: PlacedOrder, copy: EmailCopy): FollowUpEmail {
  const lines = order.items.map((item) => ({
    label: `${item.quantity} × ${item.name}`,
    amount: formatMoney(lineTotal(item), order.currency),
  }));
  const total = formatMoney(order.total, order.currency);
  const text = [
    'Hello,',
    ...copy.paragraphs,
    [`Your order ${order.id}:`, ...lines.map((l) => `  ${l.label}: ${l.amount}`), `  Total: ${total}`].join(
      '\n',
    ),
    'The Cartwheel team',
  ].join('\n\n');
  const rows = lines
    .map((l) => `<tr><td>${escapeHtml(l.label)}</td><td align="right">${escapeHtml(l.amount)}</td></tr>`)
    .join('');
  const html = [
    '<!doctype html><html><body>',
    '<p>Hello,</p>',
    ...copy.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>Your order ${escapeHtml(order.id)}:</p>`,
    `<table>${rows}<tr><td><strong>Total</strong></td><td align="right"><strong>${escapeHtml(total)}</strong></td></tr></table>`,
    '<p>The Cartwheel team</p>',
    '</body></html>',
  ].join('');
  return { subject: copy.subject, html, text };
}

/** The model's copy, refused when it states amounts the order does not contain or quotes its instructions. */
function checkedCopy(order: PlacedOrder, copy: EmailCopy): EmailCopy {
  const written = [copy.subject, ...copy.paragraphs].join('\n');
  if (repeatsInstructions(written, ALL_INSTRUCTIONS)) {
    throw new ModelFailure('ungrounded_reply', 'the email repeats the system instructions');
  }
  const amounts = [...order.items.flatMap((item) => [item.price, lineTotal(item)]), order.total];
  const invented = ungroundedAmounts(written, amounts, []);
  if (invented.length > 0) {
    throw new ModelFailure(
      'ungrounded_reply',
      `the email states amounts the order lacks: ${invented.join(', ')}`,
    );
  }
  return copy;
}

/**
 * A short personalised follow-up for a placed order: the model writes subject and paragraphs
 * through a forced tool call (validated; otherwise the template), the order summary comes from
 * the order. The prompt carries item names, quantities and prices only (no address, no email).
 */
export async function writeFollowUp(
  access: ModelAccess,
  order: PlacedOrder,
): Promise<FollowUpEmail & { source: Source }> {
  return withFallback(
    'email',
    access,
    async (model, deadline) => {
      const copy = await structuredOutput(model, deadline, {
        system: systemPrompt(EMAIL_INSTRUCTIONS),
        content: JSON.stringify({
          items: order.items.map(({ name, quantity, price }) => ({ name, quantity, price })),
          total: order.total,
          currency: order.currency,
        }),
        tool: WRITE_EMAIL_TOOL,
        parse: (input) => emailOutput.safeParse(input),
      });
      return renderEmail(order, checkedCopy(order, copy));
    },
    async () => renderEmail(order, templateCopy(order)),
  );
}
