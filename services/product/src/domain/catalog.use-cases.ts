import { AppError, notFound } from '@cartwheel/kit';
import type { CatalogRepository, ProductSort } from '../data-access/catalog.repository.js';
import { productCreated, productDeleted, productUpdated } from './product-events.js';
import {
  changedFields,
  productId,
  toView,
  viewOfChanges,
  type Product,
  type ProductEdit,
  type ProductView,
} from './product.js';
import { filterKey, queryWords } from './search-keywords.js';

export interface CatalogDeps {
  repository: CatalogRepository;
  /** ISO 4217 code every product is priced in (`CATALOG_CURRENCY`). */
  currency: string;
  /** Called after every write that enqueued events (wakes the outbox relay). */
  afterWrite?: () => void;
  now?: () => Date;
}

/** What an admin gives to create a product (already validated; money in minor units). */
export interface NewProduct {
  name: string;
  description: string;
  category: string;
  price_cents: number;
  quantity: number;
  tags: string[];
  image_url: string | null;
}

/** A list request as the API received it (validated, not yet normalised). */
export interface ListRequest {
  category?: string;
  minPriceCents?: number;
  maxPriceCents?: number;
  /** Free text: every word must match. */
  q?: string;
  tags?: string[];
  inStock?: boolean;
  ids?: string[];
  sort?: ProductSort;
  limit: number;
  offset: number;
}

export interface ProductList {
  items: ProductView[];
  total: number;
}

const productNotFound = () => notFound('Product');
const EMPTY: ProductList = { items: [], total: 0 };

/**
 * The catalog's use cases over its repository: every write stores its event with the change
 * (the repository's outbox), then wakes the relay.
 *
 * @example const catalog = catalogUseCases({ repository, currency: 'USD', afterWrite: relay.notify });
 */
export function catalogUseCases(deps: CatalogDeps) {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const afterWrite = () => deps.afterWrite?.();

  return {
    /** Creates a product (with `id` when given, e.g. demo data); 409 when that id exists. */
    async create(input: NewProduct, id = repository.newId()): Promise<ProductView> {
      const at = now();
      const product: Product = {
        id,
        ...input,
        currency: deps.currency,
        created_at: at,
        updated_at: at,
        version: 1,
        stock_version: 0,
      };
      const view = toView(product);
      if (!(await repository.insert(product, [productCreated(view)]))) {
        throw new AppError('product_exists', 409, 'Conflict', { detail: `Product ${id} already exists` });
      }
      afterWrite();
      return view;
    },

    async get(idText: string): Promise<ProductView> {
      const id = productId(idText);
      const product = id ? await repository.findById(id) : undefined;
      if (!product) throw productNotFound();
      return toView(product);
    },

    async list(request: ListRequest): Promise<ProductList> {
      const words = request.q === undefined ? undefined : queryWords(request.q);
      const ids = request.ids?.map(productId).filter((id): id is string => id !== undefined);
      // Text with no searchable word ("(", ".*") and ids that are all malformed match nothing.
      if (words?.length === 0 || ids?.length === 0) return EMPTY;
      const page = await repository.findMany({
        category: request.category === undefined ? undefined : filterKey(request.category),
        minPriceCents: request.minPriceCents,
        maxPriceCents: request.maxPriceCents,
        words,
        tags: request.tags?.map(filterKey),
        inStock: request.inStock,
        ids,
        sort: request.sort ?? 'created_at',
        limit: request.limit,
        offset: request.offset,
      });
      return { items: page.items.map(toView), total: page.total };
    },

    /** Applies the given fields (PATCH; PUT passes all of them); emits product.updated with what changed. */
    async edit(idText: string, edit: ProductEdit): Promise<ProductView> {
      const id = productId(idText);
      const result = id
        ? await repository.update(id, (current) => {
            const changes = changedFields(current, edit);
            if (Object.keys(changes).length === 0) return undefined;
            const at = now();
            return { changes, updated_at: at, events: [productUpdated(id, viewOfChanges(changes), at)] };
          })
        : undefined;
      if (!result) throw productNotFound();
      if (result.updated) afterWrite();
      return toView(result.product);
    },

    async remove(idText: string): Promise<void> {
      const id = productId(idText);
      const at = now();
      if (!id || !(await repository.remove(id, at, [productDeleted(id, at)]))) throw productNotFound();
      afterWrite();
    },

    /**
     * The stock projection: takes `available` from inventory's record `version` when it is newer
     * than the one stored, so redelivered and out-of-order events change nothing. False when
     * ignored (older or repeated version, unknown product).
     */
    async applyStock(productIdText: string, available: number, version: number): Promise<boolean> {
      const id = productId(productIdText);
      return id ? repository.applyStock(id, available, version) : false;
    },
  };
}

export type Catalog = ReturnType<typeof catalogUseCases>;
