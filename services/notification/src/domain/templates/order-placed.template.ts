import { formatDate } from '../dates.js';
import { headerText } from '../header-text.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { formatMoney, lineTotal } from '../money.js';
import type { EmailContent, OrderPlaced, ShippingAddress } from '../notification.js';
import { orderReference } from './order-reference.js';

const cell = 'padding:6px 8px;border-bottom:1px solid #e4e4e7';

/** The address as lines: line1, line2, "city, state postal_code", country; empty parts left out. */
function addressLines(address: ShippingAddress | null | undefined): string[] {
  if (!address) return [];
  const locality = [address.city, [address.state, address.postal_code].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.line1, address.line2, locality, address.country].filter((line): line is string =>
    Boolean(line?.trim()),
  );
}

/** `order.placed` → the confirmation: every line with quantity and prices, the total, the address. */
export function orderConfirmationEmail(order: OrderPlaced): EmailContent {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const total = money(order.total_price);
  const ref = orderReference(order._id);
  const address = addressLines(order.shipping_address);
  const rows = order.items.map(
    (item) =>
      html`<tr>
        <td style="${cell}">${item.name}</td>
        <td style="${cell};text-align:right">${item.quantity}</td>
        <td style="${cell};text-align:right">${money(item.price)}</td>
        <td style="${cell};text-align:right">${money(lineTotal(item.price, item.quantity))}</td>
      </tr> `,
  );
  const textLines = order.items.map(
    (item) =>
      `- ${item.name}: ${item.quantity} × ${money(item.price)} = ${money(lineTotal(item.price, item.quantity))}`,
  );
  return layout({
    subject: headerText(`Your Cartwheel order ${ref} is confirmed (${total})`),
    heading: 'Thank you for your order!',
    body: html`<p>
        We have received your order <strong>${order._id}</strong>, placed on ${formatDate(order.created_at)}.
      </p>
      <table
        role="presentation"
        width="100%"
        cellpadding="0"
        cellspacing="0"
        style="border-collapse:collapse;font-size:14px"
      >
        <tr>
          <th style="${cell};text-align:left">Item</th>
          <th style="${cell};text-align:right">Qty</th>
          <th style="${cell};text-align:right">Price</th>
          <th style="${cell};text-align:right">Subtotal</th>
        </tr>
        ${rows}
        <tr>
          <td colspan="3" style="${cell};text-align:right;font-weight:bold">Total</td>
          <td style="${cell};text-align:right;font-weight:bold">${total}</td>
        </tr>
      </table>
      <h2 style="font-size:16px;margin:24px 0 8px">Shipping to</h2>
      <p style="margin:0">
        ${address.length > 0 ? address.map((line, i) => html`${i > 0 ? html`<br />` : ''}${line}`) : 'No address given'}
      </p>
      <p>We will write again when your payment is received and when the order ships.</p>`,
    text: `We have received your order ${order._id}, placed on ${formatDate(order.created_at)}.

${textLines.join('\n')}
Total: ${total}

Shipping to:
${address.length > 0 ? address.join('\n') : 'No address given'}

We will write again when your payment is received and when the order ships.`,
  });
}
