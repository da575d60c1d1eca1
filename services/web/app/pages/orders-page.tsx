import { useMemo } from 'preact/hooks';

import { StatusBadge } from '../components/badges.js';
import { Page } from '../components/page.js';
import { Pagination } from '../components/pagination.js';
import { RequireRole } from '../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { formatDateTime, shortId } from '../lib/ids.js';
import { formatMoney } from '../lib/money.js';
import { location } from '../lib/navigation.js';
import { paths } from '../lib/routes.js';
import { useStore } from '../lib/store.js';
import { useAsync } from '../lib/use-async.js';

const PAGE_SIZE = 20;

function pageOf(search: string): number {
  const page = Number(new URLSearchParams(search).get('page'));
  return Number.isInteger(page) && page > 0 ? page : 1;
}

function OrderHistory() {
  const here = useStore(location);
  const page = useMemo(() => pageOf(here.search), [here.search]);
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
      {items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col" class="num">
                  Items
                </th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((order) => (
                <tr key={order._id}>
                  <th scope="row">
                    <a href={paths.order(order._id)} aria-label={`Order ${shortId(order._id)}`}>
                      {shortId(order._id)}
                    </a>
                  </th>
                  <td>{formatDateTime(order.created_at)}</td>
                  <td class="num">{order.items.reduce((n, i) => n + i.quantity, 0)}</td>
                  <td class="num">{formatMoney(order.total_price, order.currency)}</td>
                  <td>
                    <StatusBadge status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
