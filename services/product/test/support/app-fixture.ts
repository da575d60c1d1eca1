import { createLogger, createTokenVerifier, listen } from '@cartwheel/kit';
import { createTestIssuer, type TestIssuer } from '@cartwheel/testing';
import { createApp } from '../../src/catalog-service.js';
import type { CatalogRepository } from '../../src/data-access/catalog.repository.js';
import { catalogUseCases } from '../../src/domain/catalog.use-cases.js';
import { repositoryOn, type StoreAdapter } from './catalog-fixtures.js';
import { httpClient } from './http.js';

export interface TestApp {
  call: ReturnType<typeof httpClient>;
  issuer: TestIssuer;
  admin: string;
  customer: string;
  repository: CatalogRepository;
  close(): Promise<void>;
}

/** The product app in process on port 0, over a fresh store of `adapter`, with admin and customer tokens. */
export async function startTestApp(adapter: StoreAdapter): Promise<TestApp> {
  const { store, cleanup } = await adapter.open();
  const repository = repositoryOn(store);
  await repository.init();
  const issuer = await createTestIssuer();
  const verifier = createTokenVerifier({ issuers: [issuer] });
  const catalog = catalogUseCases({ repository, currency: 'USD' });
  const { app } = createApp({
    catalog,
    verifier,
    logger: createLogger({ service: 'product', level: 'silent' }),
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    call: httpClient(server.url),
    issuer,
    admin: await issuer.token({ subject: 'admin-1', roles: ['admin'] }),
    customer: await issuer.token({ subject: 'customer-1', roles: ['user'] }),
    repository,
    async close() {
      await server.close();
      await repository.close();
      await cleanup();
    },
  };
}
