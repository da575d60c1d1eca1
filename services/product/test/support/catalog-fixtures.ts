import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEvent, type CloudEvent } from '@cartwheel/kit';
import { testServers, uniqueName } from '@cartwheel/testing';
import type { CatalogRepository } from '../../src/data-access/catalog.repository.js';
import { documentCatalogRepository } from '../../src/data-access/document-catalog.repository.js';
import type { DocumentStore } from '../../src/data-access/document-store.js';
import { openEmbeddedStore } from '../../src/data-access/embedded-document.store.js';
import { openMongoStore } from '../../src/data-access/mongo-document.store.js';
import type { Product } from '../../src/domain/product.js';

/** A document store a suite runs against, opened empty; `reopen` opens the same data again after a close. */
export interface StoreAdapter {
  name: string;
  open(): Promise<{
    store: DocumentStore;
    reopen: () => Promise<DocumentStore>;
    cleanup: () => Promise<void>;
  }>;
}

/** FerretDB at TEST_MONGO_URL (a unique database per call) and the embedded store in a temp folder. */
export function storeAdapters(): StoreAdapter[] {
  return [
    {
      name: 'MongoDB driver on FerretDB',
      async open() {
        const options = {
          url: testServers().mongoUrl,
          database: uniqueName('catalog'),
          collection: 'products',
        };
        return {
          store: await openMongoStore(options),
          reopen: () => openMongoStore(options),
          cleanup: async () => undefined,
        };
      },
    },
    {
      name: 'embedded store',
      async open() {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'catalog-'));
        const filename = path.join(dir, 'product', 'catalog.db');
        return {
          store: await openEmbeddedStore({ filename }),
          reopen: () => openEmbeddedStore({ filename }),
          cleanup: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
}

export const repositoryOn = (store: DocumentStore, topic = 'products'): CatalogRepository =>
  documentCatalogRepository(store, { topic });

let clock = Date.parse('2025-05-15T11:30:00.000Z');

/** A product with distinct timestamps (one second apart per call) and the given fields. */
export function aProduct(id: string, fields: Partial<Product> = {}): Product {
  clock += 1000;
  const at = new Date(clock);
  return {
    id,
    name: 'Plain Product',
    description: 'Nothing special',
    category: 'Misc',
    price_cents: 1000,
    currency: 'USD',
    quantity: 10,
    tags: [],
    image_url: null,
    created_at: at,
    updated_at: at,
    version: 1,
    stock_version: 0,
    ...fields,
  };
}

export const anEvent = (type: string, subject: string, data: unknown = {}): CloudEvent =>
  createEvent({ source: '/test/product', type, subject, data });
