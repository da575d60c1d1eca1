import { useMemo, useState } from 'preact/hooks';

import { ConfirmAction } from '../../components/confirm-action.js';
import { Page } from '../../components/page.js';
import { Pagination } from '../../components/pagination.js';
import { RequireRole } from '../../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../../components/status.js';
import { api } from '../../lib/api.js';
import { formatMoney } from '../../lib/money.js';
import { location, navigate } from '../../lib/navigation.js';
import { pageParam, paths } from '../../lib/routes.js';
import { useStore } from '../../lib/store.js';
import { useAsync } from '../../lib/use-async.js';

const PAGE_SIZE = 20;

function ProductTable() {
  const here = useStore(location);
  const params = useMemo(() => new URLSearchParams(here.search), [here.search]);
  const q = params.get('q') ?? '';
  const page = pageParam(here.search);
  const [search, setSearch] = useState(q);
  const [notice, setNotice] = useState('');
  const products = useAsync(
    (signal) => {
      const query = new URLSearchParams({
        sort: '-created_at',
        limit: String(PAGE_SIZE),
        offset: String((page - 1) * PAGE_SIZE),
      });
      if (q) query.set('q', q);
      return api.products(query.toString(), signal);
    },
    [q, page],
  );
  const hrefFor = (n: number) =>
    `${paths.adminProducts}?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;
  const items = products.data?.items ?? [];

  return (
    <>
      <div class="toolbar">
        <a class="button" href={paths.adminProductNew}>
          New product
        </a>
        <form
          role="search"
          aria-label="Search products"
          class="inline-search"
          onSubmit={(event) => {
            event.preventDefault();
            navigate(
              search.trim()
                ? `${paths.adminProducts}?q=${encodeURIComponent(search.trim())}`
                : paths.adminProducts,
            );
          }}
        >
          <label for="admin-product-search">Search</label>
          <input
            id="admin-product-search"
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <button type="submit" class="button-secondary">
            Search
          </button>
        </form>
      </div>
      <LiveStatus>{products.loading ? 'Loading products…' : notice}</LiveStatus>
      <ErrorMessage error={products.error} retry={products.reload} />
      {products.data && items.length === 0 && <p>No products.</p>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Products, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col" class="num">
                  Stock
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((product) => (
                <tr key={product._id}>
                  <th scope="row">
                    <a href={paths.adminProduct(product._id)}>{product.name}</a>
                  </th>
                  <td>{product.category}</td>
                  <td class="num">{formatMoney(product.price, product.currency)}</td>
                  <td class="num">{product.quantity}</td>
                  <td class="row-actions">
                    <a href={paths.adminProduct(product._id)}>
                      Edit<span class="visually-hidden"> ({product.name})</span>
                    </a>
                    <ConfirmAction
                      label="Delete"
                      name={product.name}
                      confirmLabel="Yes, delete"
                      keepLabel="Keep"
                      onConfirm={async () => {
                        await api.deleteProduct(product._id);
                        setNotice(`Deleted ${product.name}.`);
                        products.reload();
                        document.querySelector<HTMLElement>('h1')?.focus();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={products.data?.total ?? 0} hrefFor={hrefFor} />
    </>
  );
}

/** `/admin/products`: every product, newest first, with edit and delete. */
export function AdminProductsPage() {
  return (
    <RequireRole title="Products" role="admin">
      {() => (
        <Page title="Products">
          <ProductTable />
        </Page>
      )}
    </RequireRole>
  );
}
