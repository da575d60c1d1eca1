import { pageParam } from './routes.js';

/** The catalog page's filters: kept in the URL (so they can be shared and survive back/forward). */
export interface CatalogFilters {
  q: string;
  category: string;
  min_price: string;
  max_price: string;
  in_stock: boolean;
  sort: CatalogSort;
  /** 1-based. */
  page: number;
}

export type CatalogSort = 'name' | '-name' | 'price' | '-price' | '-created_at';

export const SORT_OPTIONS: { value: CatalogSort; label: string }[] = [
  { value: 'name', label: 'Name, A to Z' },
  { value: '-name', label: 'Name, Z to A' },
  { value: 'price', label: 'Price, low to high' },
  { value: '-price', label: 'Price, high to low' },
  { value: '-created_at', label: 'Newest first' },
];

export const PAGE_SIZE = 12;
const DEFAULT_SORT: CatalogSort = 'name';

/** The filters a URL's query string holds; anything unknown or malformed falls back to the default. */
export function parseFilters(search: string): CatalogFilters {
  const params = new URLSearchParams(search);
  const text = (name: string) => (params.get(name) ?? '').trim();
  const sort = text('sort');
  return {
    q: text('q'),
    category: text('category'),
    min_price: text('min_price'),
    max_price: text('max_price'),
    in_stock: text('in_stock') === 'true',
    sort: SORT_OPTIONS.some((o) => o.value === sort) ? (sort as CatalogSort) : DEFAULT_SORT,
    page: pageParam(search),
  };
}

/** The filters that are set, as query parameters (the catalog refuses empty ones). */
function setFilters(filters: CatalogFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ['q', 'category', 'min_price', 'max_price'] as const) {
    if (filters[name]) params.set(name, filters[name]);
  }
  if (filters.in_stock) params.set('in_stock', 'true');
  return params;
}

/** The query string of the catalog page for `filters` (defaults left out), with its `?`. */
export function filtersToSearch(filters: CatalogFilters): string {
  const params = setFilters(filters);
  if (filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The `GET /api/v1/products` query for `filters`: only the filters that are set (the catalog
 * refuses empty parameters), plus the page as `limit`/`offset`.
 */
export function productListQuery(filters: CatalogFilters, pageSize = PAGE_SIZE): string {
  const params = setFilters(filters);
  params.set('sort', filters.sort);
  params.set('limit', String(pageSize));
  params.set('offset', String((filters.page - 1) * pageSize));
  return params.toString();
}
