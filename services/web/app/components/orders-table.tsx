import type { ComponentChildren } from 'preact';

import { formatDateTime, shortId } from '../lib/ids.js';
import { formatMoney } from '../lib/money.js';
import { paths } from '../lib/routes.js';
import type { Order } from '../lib/types.js';
import { StatusBadge } from './badges.js';

/**
 * Orders, newest first: number (a link), date, item count, total, status. The admin view adds
 * the customer and a last column of actions.
 */
export function OrdersTable(props: {
  orders: Order[];
  caption: string;
  actions?: { heading: string; render: (order: Order) => ComponentChildren };
}) {
  const { actions } = props;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            {actions && <th scope="col">Customer</th>}
            <th scope="col">Placed</th>
            <th scope="col" class="num">
              Items
            </th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col">Status</th>
            {actions && <th scope="col">{actions.heading}</th>}
          </tr>
        </thead>
        <tbody>
          {props.orders.map((order) => (
            <tr key={order._id}>
              <th scope="row">
                <a href={paths.order(order._id)}>{shortId(order._id)}</a>
              </th>
              {actions && <td>{String(order.user_id)}</td>}
              <td>{formatDateTime(order.created_at)}</td>
              <td class="num">{order.items.reduce((n, item) => n + item.quantity, 0)}</td>
              <td class="num">{formatMoney(order.total_price, order.currency)}</td>
              <td>
                <StatusBadge status={order.status} />
              </td>
              {actions && <td>{actions.render(order)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
