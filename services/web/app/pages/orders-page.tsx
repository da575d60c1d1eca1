import { useMemo } from 'preact/hooks';

import { OrdersTable } from '../components/orders-table.js';
import { Page } from '../components/page.js';
import { Pagination } from '../components/pagination.js';
import { RequireRole } from '../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { location } from '../lib/navigation.js';
import { pageParam, paths } from '../lib/routes.js';
import { useStore } from '../lib/store.js';
import { useAsync } from '../lib/use-async.js';

const PAGE_SIZE = 20;

function OrderHistory() {
  const here = useStore(location);
  const page = useMemo(() => pageParam(here.search), [here.search]);
  const orders = useAsync(
    (signal) => api.orders(`limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`, signal),
    [page],
  );
  const items = orders.data?.items ?? [];
  return (
    <>
      <LiveStatus>{orders.loading ? 'Loading your orders…' : ''}</LiveStatus>
      <ErrorMessage error={orders.error} retry={orders.reload} />
      {orders.data && items.length === 0 && (
        <p>
          You have no orders yet. <a href={paths.catalog}>Browse the catalog</a>
        </p>
      )}
      {items.length > 0 && <OrdersTable orders={items} caption="Your orders, newest first" />}
      <Pagination
        page={page}
        pageSize={PAGE_SIZE}
        total={orders.data?.total ?? 0}
        hrefFor={(n) => `${paths.orders}?page=${n}`}
      />
    </>
  );
}

/** `/orders`: the signed-in shopper's orders, newest first, with their status. */
export function OrdersPage() {
  return (
    <RequireRole title="My orders">
      {() => (
        <Page title="My orders">
          <OrderHistory />
        </Page>
      )}
    </RequireRole>
  );
}
