import { useState } from 'preact/hooks';

import { StatusBadge } from '../components/badges.js';
import { ConfirmAction } from '../components/confirm-action.js';
import { OrderItems } from '../components/order-items.js';
import { Page } from '../components/page.js';
import { RequireRole } from '../components/require-role.js';
import { ErrorMessage, LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { formatDateTime, shortId } from '../lib/ids.js';
import { canCancel } from '../lib/order-status.js';
import { ApiError } from '../lib/problem.js';
import { paths } from '../lib/routes.js';
import type { Order } from '../lib/types.js';
import { useAsync } from '../lib/use-async.js';

function CancelOrder(props: { order: Order; onCancelled: (order: Order) => void }) {
  if (!canCancel(props.order.status)) return null;
  return (
    <div class="cancel-order">
      <ConfirmAction
        label="Cancel order"
        question="Cancel this order? Its items go back into stock."
        confirmLabel="Yes, cancel the order"
        keepLabel="Keep the order"
        onConfirm={async () => {
          props.onCancelled(await api.cancelOrder(props.order._id));
          // This control goes away with the cancellable status: the page heading takes focus.
          document.querySelector<HTMLElement>('h1')?.focus();
        }}
      />
    </div>
  );
}

function OrderDetail(props: { id: string }) {
  const order = useAsync((signal) => api.order(props.id, signal), [props.id]);
  const [notice, setNotice] = useState('');
  const o = order.data;
  if (order.error instanceof ApiError && order.error.status === 404) {
    return (
      <Page title="Order not found">
        <p>
          There is no such order among yours. <a href={paths.orders}>Your orders</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={o ? `Order ${shortId(o._id)}` : 'Order'}>
      <LiveStatus>{order.loading && !o ? 'Loading the order…' : notice}</LiveStatus>
      <ErrorMessage error={order.error} retry={order.reload} />
      {o && (
        <>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd data-testid="order-status">
                <StatusBadge status={o.status} />
              </dd>
            </div>
            <div>
              <dt>Placed</dt>
              <dd>{formatDateTime(o.created_at)}</dd>
            </div>
            <div>
              <dt>Order number</dt>
              <dd class="mono">{o._id}</dd>
            </div>
            <div>
              <dt>Ships to</dt>
              <dd>
                {[
                  o.shipping_address.line1,
                  o.shipping_address.line2,
                  o.shipping_address.city,
                  o.shipping_address.state,
                  o.shipping_address.postal_code,
                  o.shipping_address.country,
                ]
                  .filter(Boolean)
                  .join(', ')}
              </dd>
            </div>
          </dl>
          <OrderItems order={o} />
          <CancelOrder
            order={o}
            onCancelled={(cancelled) => {
              order.setData(cancelled);
              setNotice('The order is cancelled.');
            }}
          />
        </>
      )}
      <p>
        <a href={paths.orders}>All my orders</a>
      </p>
    </Page>
  );
}

/** `/orders/:id`: one order with its status, lines, total, and cancelling while that is allowed. */
export function OrderPage(props: { id: string }) {
  return <RequireRole title="Order">{() => <OrderDetail id={props.id} />}</RequireRole>;
}
