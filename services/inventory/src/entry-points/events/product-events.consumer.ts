import { parseEventData, type Logger } from '@cartwheel/kit';
import { z } from 'zod';
import { createStockForProduct, discontinueStock } from '../../domain/manage-stock.use-case.js';
import { MAX_STOCK } from '../../domain/stock.js';
import { productId } from '../identifiers.js';
import type { EventAction } from './consumer.js';

/** What inventory needs of product.created: the id and the initial quantity (the rest is the catalog's). */
const productCreated = z.object({ _id: productId, quantity: z.number().int().min(0).max(MAX_STOCK) });
const productDeleted = z.object({ _id: productId });

/**
 * `product.created` creates the record with the product's quantity; a redelivery, even under a new
 * event id, creates nothing new (insert … on conflict do nothing). `product.deleted` marks it
 * discontinued.
 */
export function productEventActions(log: Logger): Record<string, EventAction> {
  return {
    'product.created': async (tx, event) => {
      const product = parseEventData(productCreated, event);
      const created = await createStockForProduct(tx, product);
      log.info({ product_id: product._id, quantity: product.quantity, created }, 'product.created applied');
    },
    'product.deleted': async (tx, event) => {
      const { _id } = parseEventData(productDeleted, event);
      const changed = await discontinueStock(tx, _id);
      log.info({ product_id: _id, changed }, 'product.deleted applied: discontinued');
    },
  };
}
