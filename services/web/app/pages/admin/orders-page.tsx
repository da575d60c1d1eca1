import { useMemo, useState } from 'preact/hooks';

import { SelectField } from '../../components/fields.js';
import { OrdersTable } from '../../components/orders-table.js';
import { Page } from '../../components/page.js';
import { Pagination } from '../../components/pagination.js';
import { RequireRole } from '../../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../../components/status.js';
import { api } from '../../lib/api.js';
import { shortId } from '../../lib/ids.js';
import { location, navigate } from '../../lib/navigation.js';
import { nextStatuses, ORDER_STATUSES, statusLabel, type OrderStatus } from '../../lib/order-status.js';
import { describeError } from '../../lib/problem.js';
import { pageParam, paths } from '../../lib/routes.js';
import { useStore } from '../../lib/store.js';
import type { Order } from '../../lib/types.js';
import { useAsync } from '../../lib/use-async.js';

const PAGE_SIZE = 20;

function MoveStatus(props: {
  order: Order;
  onMoved: (order: Order) => void;
  onMessage: (text: string, failed?: boolean) => void;
}) {
  const { order } = props;
  const moves = nextStatuses(order.status);
  const [target, setTarget] = useState<OrderStatus | ''>(moves[0] ?? '');
  const [busy, setBusy] = useState(false);
  if (moves.length === 0) return <span class="note">Final</span>;
  const selectId = `move-${order._id}`;
  const chosen = moves.includes(target as OrderStatus) ? (target as OrderStatus) : moves[0];
  return (
    <form
      class="move-status"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        try {
          const moved = await api.setOrderStatus(order._id, chosen);
          props.onMoved(moved);
          props.onMessage(`Order ${shortId(order._id)} is now ${statusLabel(moved.status).toLowerCase()}.`);
        } catch (failure) {
          props.onMessage(`Order ${shortId(order._id)}: ${describeError(failure)}`, true);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label for={selectId} class="visually-hidden">
        New status of order {shortId(order._id)}
      </label>
      <select id={selectId} value={chosen} onChange={(e) => setTarget(e.currentTarget.value as OrderStatus)}>
        {moves.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
      <button type="submit" class="button-secondary" disabled={busy}>
        Update
      </button>
    </form>
  );
}

function AllOrders() {
  const here = useStore(location);
  const params = useMemo(() => new URLSearchParams(here.search), [here.search]);
  const status = ORDER_STATUSES.find((s) => s === params.get('status')) ?? '';
  const page = pageParam(here.search);
  const [message, setMessage] = useState({ text: '', failed: false });
  const [updated, setUpdated] = useState<Record<string, Order>>({});
  const orders = useAsync(
    (signal) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String((page - 1) * PAGE_SIZE) });
      if (status) query.set('status', status);
      return api.orders(query.toString(), signal);
    },
    [status, page],
  );
  const hrefFor = (n: number, s: string = status) =>
    `${paths.adminOrders}?${new URLSearchParams({ ...(s ? { status: s } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
  const items = (orders.data?.items ?? []).map((o) => updated[o._id] ?? o);

  return (
    <>
      <div class="toolbar">
        <SelectField
          id="order-status-filter"
          label="Show"
          value={status}
          onValue={(value) => navigate(hrefFor(1, value))}
          options={[
            { value: '', label: 'All orders' },
            ...ORDER_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
          ]}
        />
      </div>
      <LiveStatus>{orders.loading ? 'Loading orders…' : message.failed ? '' : message.text}</LiveStatus>
      {message.failed && (
        <p class="error-box" role="alert">
          {message.text}
        </p>
      )}
      <ErrorMessage error={orders.error} retry={orders.reload} />
      {orders.data && items.length === 0 && <p>No orders.</p>}
      {items.length > 0 && (
        <OrdersTable
          orders={items}
          caption="All orders, newest first"
          actions={{
            heading: 'Move to',
            render: (order) => (
              <MoveStatus
                order={order}
                onMoved={(moved) => setUpdated((all) => ({ ...all, [moved._id]: moved }))}
                onMessage={(text, failed = false) => setMessage({ text, failed })}
              />
            ),
          }}
        />
      )}
      <Pagination
        page={page}
        pageSize={PAGE_SIZE}
        total={orders.data?.total ?? 0}
        hrefFor={(n) => hrefFor(n)}
      />
    </>
  );
}

/** `/admin/orders`: every order, filtered by status, with the legal status moves. */
export function AdminOrdersPage() {
  return (
    <RequireRole title="All orders" role="admin">
      {() => (
        <Page title="All orders">
          <AllOrders />
        </Page>
      )}
    </RequireRole>
  );
}
