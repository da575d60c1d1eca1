import { z } from 'zod';
import { parseEventData, type EventHandler, type Logger } from '@cartwheel/kit';
import type { Catalog } from '../../domain/catalog.use-cases.js';

const stockUpdatedData = z.object({
  product_id: z.string().min(1),
  available_quantity: z.number().int().min(0),
  version: z.number().int().min(1),
});

/**
 * Keeps `quantity` equal to inventory's available stock from `stock.updated` events (topic
 * `inventory`). Other event types on the topic are skipped. A malformed event is parked in the
 * DLQ at once (MalformedEventError); an older or repeated version, or a product the catalog
 * does not know, changes nothing.
 */
export function stockUpdatedConsumer(catalog: Catalog, logger: Logger): EventHandler {
  return async (event) => {
    if (event.type !== 'stock.updated') return;
    const { product_id, available_quantity, version } = parseEventData(stockUpdatedData, event);
    const applied = await catalog.applyStock(product_id, available_quantity, version);
    if (!applied)
      logger.debug(
        { product_id, version, event_id: event.id },
        'stock.updated ignored (older, repeated or unknown)',
      );
  };
}
