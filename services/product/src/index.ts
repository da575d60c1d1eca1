/** @cartwheel/product: the product catalog on MongoDB, or an embedded document store in embedded mode. Exports its ServiceDefinition as `service`. */
import path from 'node:path';
import { loadConfig, verifierFromConfig, type ServiceDefinition } from '@cartwheel/kit';
import { startCatalogService, SERVICE_NAME } from './catalog-service.js';
import { productConfig } from './config.js';
import type { DocumentStore } from './data-access/document-store.js';
import { openEmbeddedStore } from './data-access/embedded-document.store.js';
import { openMongoStore } from './data-access/mongo-document.store.js';

export {
  createApp,
  DEFAULT_TOPICS,
  startCatalogService,
  type AppDeps,
  type CatalogServiceOptions,
} from './catalog-service.js';
export { catalogUseCases, type Catalog } from './domain/catalog.use-cases.js';
export { documentCatalogRepository } from './data-access/document-catalog.repository.js';
export { openEmbeddedStore } from './data-access/embedded-document.store.js';
export { openMongoStore } from './data-access/mongo-document.store.js';
export type { ProductView } from './domain/product.js';

/** The product service (DESIGN §3: port 8082, MongoDB, publishes `products`, consumes `inventory`). */
export const service: ServiceDefinition = {
  name: SERVICE_NAME,
  defaultPort: 8082,
  async start(runtime, port) {
    const config = loadConfig(productConfig, runtime.env);
    const store: DocumentStore = config.MONGO_URL
      ? await openMongoStore({ url: config.MONGO_URL, collection: 'products' })
      : await openEmbeddedStore({ filename: path.resolve(runtime.dataDir, SERVICE_NAME, 'catalog.db') });
    return startCatalogService({
      store,
      bus: runtime.bus,
      verifier: verifierFromConfig(config),
      logger: runtime.logger,
      port,
      currency: config.CATALOG_CURRENCY,
      demoData: config.CARTWHEEL_DEMO_DATA,
    });
  },
};
