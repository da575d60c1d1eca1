import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { StockBadge } from '../components/badges.js';
import { SelectField, TextField } from '../components/fields.js';
import { Page } from '../components/page.js';
import { Pagination } from '../components/pagination.js';
import { ErrorMessage, LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { addToCart } from '../lib/cart.js';
import { cart } from '../lib/cart-store.js';
import {
  filtersToSearch,
  PAGE_SIZE,
  parseFilters,
  productListQuery,
  SORT_OPTIONS,
  type CatalogFilters,
} from '../lib/catalog-filters.js';
import { formatMoney, parseAmount } from '../lib/money.js';
import { location, navigate } from '../lib/navigation.js';
import { fieldErrors } from '../lib/problem.js';
import { paths } from '../lib/routes.js';
import { useStore } from '../lib/store.js';
import type { Product } from '../lib/types.js';
import { useAsync } from '../lib/use-async.js';

/** Client-side checks that spare a round trip; the catalog checks the same and more. */
function checkPrices(filters: CatalogFilters): Record<string, string> {
  const errors: Record<string, string> = {};
  const min = filters.min_price ? parseAmount(filters.min_price) : undefined;
  const max = filters.max_price ? parseAmount(filters.max_price) : undefined;
  if (filters.min_price && min === undefined) errors.min_price = 'Enter an amount such as 25 or 19.99.';
  if (filters.max_price && max === undefined) errors.max_price = 'Enter an amount such as 25 or 19.99.';
  if (min !== undefined && max !== undefined && min > max)
    errors.min_price = 'Must not be more than the maximum.';
  return errors;
}

function FilterForm(props: { filters: CatalogFilters; serverErrors: Record<string, string> }) {
  const [draft, setDraft] = useState(props.filters);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const categories = useAsync((signal) => api.categories(signal), []);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => setDraft(props.filters), [props.filters]);
  const shown = { ...props.serverErrors, ...errors };
  const set = (field: keyof CatalogFilters) => (value: string | boolean) =>
    setDraft((current) => ({ ...current, [field]: value }));

  const apply = (event: Event) => {
    event.preventDefault();
    const problems = checkPrices(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    navigate(paths.catalog + filtersToSearch({ ...draft, page: 1 }));
  };

  const categoryOptions = [
    { value: '', label: 'All categories' },
    ...(categories.data ?? []).map((c) => ({ value: c, label: c })),
  ];
  if (draft.category && !categories.data?.includes(draft.category)) {
    categoryOptions.push({ value: draft.category, label: draft.category });
  }

  return (
    <form
      class="filters"
      role="search"
      aria-label="Search and filter products"
      onSubmit={apply}
      ref={form}
      noValidate
    >
      <TextField
        id="filter-q"
        label="Search"
        type="search"
        value={draft.q}
        onValue={set('q')}
        maxLength={200}
        error={shown.q}
      />
      <SelectField
        id="filter-category"
        label="Category"
        value={draft.category}
        onValue={set('category')}
        options={categoryOptions}
        error={shown.category}
      />
      <TextField
        id="filter-min-price"
        label="Minimum price"
        inputMode="decimal"
        value={draft.min_price}
        onValue={set('min_price')}
        error={shown.min_price}
      />
      <TextField
        id="filter-max-price"
        label="Maximum price"
        inputMode="decimal"
        value={draft.max_price}
        onValue={set('max_price')}
        error={shown.max_price}
      />
      <SelectField
        id="filter-sort"
        label="Sort by"
        value={draft.sort}
        onValue={set('sort')}
        options={SORT_OPTIONS}
      />
      <div class="field field-checkbox">
        <input
          id="filter-in-stock"
          type="checkbox"
          checked={draft.in_stock}
          onChange={(event) => set('in_stock')(event.currentTarget.checked)}
        />
        <label for="filter-in-stock">Only products in stock</label>
      </div>
      <div class="filter-actions">
        <button type="submit">Apply filters</button>
        <a href={paths.catalog} class="button-link">
          Clear filters
        </a>
      </div>
    </form>
  );
}

function ProductCard(props: { product: Product; onAdded: (product: Product) => void }) {
  const { product } = props;
  return (
    <li class="product-card">
      <article aria-labelledby={`product-${product._id}`}>
        <h3 id={`product-${product._id}`}>
          <a href={paths.product(product._id)}>{product.name}</a>
        </h3>
        <p class="product-category">{product.category}</p>
        <p class="price">{formatMoney(product.price, product.currency)}</p>
        <StockBadge quantity={product.quantity} />
        <button
          type="button"
          disabled={product.quantity <= 0}
          onClick={() => {
            cart.set((current) => addToCart(current, product));
            props.onAdded(product);
          }}
        >
          Add to cart<span class="visually-hidden"> ({product.name})</span>
        </button>
      </article>
    </li>
  );
}

/** `/`: browse with search, category, price and stock filters, sorted and paged; all in the URL. */
export function CatalogPage() {
  const here = useStore(location);
  const filters = useMemo(() => parseFilters(here.search), [here.search]);
  const [added, setAdded] = useState('');
  const products = useAsync(
    (signal) => api.products(productListQuery(filters), signal),
    [filtersToSearch(filters)],
  );
  const total = products.data?.total ?? 0;
  const filtered = filtersToSearch({ ...filters, page: 1 }) !== '';

  let status = '';
  if (products.loading) status = 'Loading products…';
  else if (products.data)
    status = `${total} ${total === 1 ? 'product' : 'products'}${filtered ? ' match' : ''}`;

  return (
    <Page title="Catalog">
      <div class="catalog">
        <FilterForm filters={filters} serverErrors={fieldErrors(products.error)} />
        <section class="results" aria-labelledby="results-title">
          <h2 id="results-title" class="visually-hidden">
            Products
          </h2>
          <LiveStatus>
            {status}
            {added && ` ${added}`}
          </LiveStatus>
          <ErrorMessage error={products.error} retry={products.reload} />
          {products.data && products.data.items.length === 0 && (
            <p>No products match these filters. Try a wider price range or another category.</p>
          )}
          {products.data && products.data.items.length > 0 && (
            <ul class="product-grid" aria-busy={products.loading}>
              {products.data.items.map((product) => (
                <ProductCard
                  key={product._id}
                  product={product}
                  onAdded={(p) => setAdded(`Added ${p.name} to the cart.`)}
                />
              ))}
            </ul>
          )}
          <Pagination
            page={filters.page}
            pageSize={PAGE_SIZE}
            total={total}
            hrefFor={(page) => paths.catalog + filtersToSearch({ ...filters, page })}
          />
        </section>
      </div>
    </Page>
  );
}
