import { createHttpClient, type Logger } from '@cartwheel/kit';
import type { CatalogReader, StockReader } from '../domain/catalog.js';
import { catalogClient } from './catalog.client.js';
import { inventoryClient } from './inventory.client.js';

export interface UpstreamOptions {
  productUrl: string;
  inventoryUrl: string;
  /** The ai service's own token for inventory reads (client credentials). */
  getToken: () => Promise<string>;
  /** Per attempt (default 2000). */
  timeoutMs?: number;
  /** How long the catalog overview is reused (default 60 s). */
  overviewTtlMs?: number;
  logger?: Logger;
}

/** The services the ai service reads, each behind its own kit client (timeout, retries, breaker). */
export interface Upstreams {
  catalog: CatalogReader;
  stock: StockReader;
  /** Stops the breakers' timers. */
  close(): void;
}

/**
 * Clients for the catalog (public reads, no token) and inventory (the service token).
 *
 * @example const upstreams = createUpstreams({ productUrl, inventoryUrl, getToken });
 */
export function createUpstreams(options: UpstreamOptions): Upstreams {
  const { logger, timeoutMs } = options;
  const product = createHttpClient({ name: 'product', baseUrl: options.productUrl, logger, timeoutMs });
  const inventory = createHttpClient({
    name: 'inventory',
    baseUrl: options.inventoryUrl,
    getToken: options.getToken,
    logger,
    timeoutMs,
    // A stock read falls back to the catalog's quantity at once; retries would only delay that.
    retries: 0,
  });
  return {
    catalog: catalogClient(product, { overviewTtlMs: options.overviewTtlMs }),
    stock: inventoryClient(inventory, logger),
    close() {
      product.close();
      inventory.close();
    },
  };
}
