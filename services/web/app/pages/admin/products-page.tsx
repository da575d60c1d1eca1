import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { Page } from '../../components/page.js';
import { Pagination } from '../../components/pagination.js';
import { RequireRole } from '../../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../../components/status.js';
import { api } from '../../lib/api.js';
import { formatMoney } from '../../lib/money.js';
import { location, navigate } from '../../lib/navigation.js';
import { paths } from '../../lib/routes.js';
import { useStore } from '../../lib/store.js';
import type { Product } from '../../lib/types.js';
import { useAsync } from '../../lib/use-async.js';

const PAGE_SIZE = 20;

function DeleteProduct(props: { product: Product; onDeleted: (product: Product) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteProduct(props.product._id);
      props.onDeleted(props.product);
    } catch (failure) {
      setError(failure);
      setBusy(false);
      setConfirming(false);
    }
  };
  if (!confirming) {
    return (
      <>
        <ErrorMessage error={error} />
        <button
          type="button"
          class="button-danger"
          aria-label={`Delete ${props.product.name}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      </>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={`Confirm deleting ${props.product.name}`}>
      <button type="button" class="button-danger" disabled={busy} onClick={() => void remove()}>
        Yes, delete
      </button>
      <button
        type="button"
        class="button-secondary"
        ref={keep}
        disabled={busy}
        onClick={() => setConfirming(false)}
      >
        Keep
      </button>
    </span>
  );
}

function ProductTable() {
  const here = useStore(location);
  const params = useMemo(() => new URLSearchParams(here.search), [here.search]);
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
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
                    <a href={paths.adminProduct(product._id)} aria-label={`Edit ${product.name}`}>
                      Edit
                    </a>
                    <DeleteProduct
                      product={product}
                      onDeleted={(deleted) => {
                        setNotice(`Deleted ${deleted.name}.`);
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
