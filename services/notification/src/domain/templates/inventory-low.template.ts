import { headerText } from '../header-text.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import type { EmailContent, InventoryLow } from '../notification.js';

/** `inventory.low` → an alert for the admins. */
export function inventoryLowEmail(stock: InventoryLow): EmailContent {
  const left = `${stock.available_quantity} ${stock.available_quantity === 1 ? 'unit' : 'units'}`;
  return layout({
    subject: headerText(`Low stock: product ${stock.product_id} is down to ${left}`),
    heading: 'Stock is running low',
    body: html`<p>
        Product <strong>${stock.product_id}</strong> has <strong>${left}</strong> available, at or below its
        reorder threshold of ${stock.reorder_threshold}.
      </p>
      <p>Restock it with <code>PATCH /api/v1/inventory/${stock.product_id}/restock</code>.</p>`,
    text: `Product ${stock.product_id} has ${left} available, at or below its reorder threshold of ${stock.reorder_threshold}.

Restock it with PATCH /api/v1/inventory/${stock.product_id}/restock.`,
  });
}
