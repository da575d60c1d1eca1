import { useEffect, useRef, useState } from 'preact/hooks';

import { StatusBadge } from '../components/badges.js';
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
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  if (!canCancel(props.order.status)) return null;
  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onCancelled(await api.cancelOrder(props.order._id));
      // This control goes away with the cancellable status: the page heading takes focus.
      document.querySelector<HTMLElement>('h1')?.focus();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <div class="cancel-order">
      <ErrorMessage error={error} />
      {confirming ? (
        <div class="confirm" role="group" aria-label="Confirm cancelling">
          <p>Cancel this order? Its items go back into stock.</p>
          <button type="button" class="button-danger" disabled={busy} onClick={() => void cancel()}>
            Yes, cancel the order
          </button>
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            ref={keep}
            onClick={() => setConfirming(false)}
          >
            Keep the order
          </button>
        </div>
      ) : (
        <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
          Cancel order
        </button>
      )}
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
