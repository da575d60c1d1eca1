import type { HttpClient, Logger } from '@cartwheel/kit';
import { z } from 'zod';
import type { StockReader } from '../domain/catalog.js';

const stockView = z.object({ available_quantity: z.number(), discontinued: z.boolean().default(false) });

/**
 * Stock from the inventory service, `GET /api/v1/inventory/{product_id}` with the service's own
 * token. No record (404) or discontinued is 0; when inventory cannot answer (down, breaker open,
 * no token, token refused) the answer is undefined and callers use the catalog's quantity.
 */
export function inventoryClient(http: HttpClient, logger?: Logger): StockReader {
  return {
    async available(productId) {
      let response;
      try {
        response = await http.get(`/api/v1/inventory/${encodeURIComponent(productId)}`);
      } catch (error) {
        logger?.debug({ err: error, product_id: productId }, 'inventory unavailable: using catalog stock');
        return undefined;
      }
      if (response.status === 404) return 0;
      const parsed = response.status === 200 ? stockView.safeParse(response.body) : undefined;
      if (parsed?.success) return parsed.data.discontinued ? 0 : Math.max(0, parsed.data.available_quantity);
      // 401/403: our service token is refused (is `ai` a client of the user service?).
      logger?.warn({ status: response.status, product_id: productId }, 'inventory refused a stock read');
      return undefined;
    },
  };
}
