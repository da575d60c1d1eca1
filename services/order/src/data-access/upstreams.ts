import { createHttpClient, type Logger } from '@cartwheel/kit';
import type { Catalog, Profiles, Stock } from '../domain/ports.js';
import { catalogClient } from './catalog.client.js';
import { inventoryClient } from './inventory.client.js';
import { userClient } from './user.client.js';

export interface UpstreamOptions {
  userUrl: string;
  productUrl: string;
  inventoryUrl: string;
  /** The order service's own token for catalog and inventory calls (client credentials). */
  getToken: () => Promise<string>;
  /** Per attempt (default 2000). */
  timeoutMs?: number;
  logger?: Logger;
}

/** The services an order depends on, each behind its own kit client (timeout, retries, breaker). */
export interface Upstreams {
  catalog: Catalog;
  stock: Stock;
  profiles: Profiles;
  /** Stops the breakers' timers. */
  close(): void;
}

/**
 * Clients for catalog, inventory and user. The user client sends the caller's own token (the
 * default address is the caller's business), the others the order service's token.
 *
 * @example const upstreams = createUpstreams({ userUrl, productUrl, inventoryUrl, getToken });
 */
export function createUpstreams(options: UpstreamOptions): Upstreams {
  const { getToken, logger, timeoutMs } = options;
  const clients = [
    createHttpClient({ name: 'product', baseUrl: options.productUrl, getToken, logger, timeoutMs }),
    createHttpClient({ name: 'inventory', baseUrl: options.inventoryUrl, getToken, logger, timeoutMs }),
    createHttpClient({ name: 'user', baseUrl: options.userUrl, logger, timeoutMs }),
  ];
  const [product, inventory, user] = clients;
  return {
    catalog: catalogClient(product),
    stock: inventoryClient(inventory),
    profiles: userClient(user),
    close: () => clients.forEach((client) => client.close()),
  };
}
