import { storeAdapters } from '../support/catalog-fixtures.js';
import { catalogRepositoryContract } from './catalog-repository.contract.js';

for (const adapter of storeAdapters()) catalogRepositoryContract(adapter);
