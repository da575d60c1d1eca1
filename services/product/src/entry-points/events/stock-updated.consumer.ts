import { z } from 'zod';
import type { EventHandler, Logger } from '@cartwheel/kit';
import type { Catalog } from '../../domain/catalog.use-cases.js';

const stockUpdatedData = z.object({
  product_id: z.string().min(1),
  available_quantity: z.number().int().min(0),
  version: z.number().int().min(1),
});

/**
 * Keeps `quantity` equal to inventory's available stock from `stock.updated` events (topic
 * `inventory`). Other event types on the topic are skipped. A malformed event throws, so the bus
 * retries it and then parks it in the DLQ; an older or repeated version, or a product the catalog
 * does not know, changes nothing.
 */
export function stockUpdatedConsumer(catalog: Catalog, logger: Logger): EventHandler {
  return async (event) => {
    if (event.type !== 'stock.updated') return;
    const parsed = stockUpdatedData.safeParse(event.data);
    if (!parsed.success) {
      throw new Error(
        `Malformed stock.updated ${event.id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const { product_id, available_quantity, version } = parsed.data;
    const applied = await catalog.applyStock(product_id, available_quantity, version);
    if (!applied)
      logger.debug(
        { product_id, version, event_id: event.id },
        'stock.updated ignored (older, repeated or unknown)',
      );
  };
}
