import { formatMoney, fromCents, toCents } from '../lib/money.js';
import { paths } from '../lib/routes.js';
import type { Order } from '../lib/types.js';

/** An order's lines and total as the order service priced them. */
export function OrderItems(props: { order: Order }) {
  const { order } = props;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Items of the order</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">
              Unit price
            </th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Subtotal
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.product_id}>
              <th scope="row">
                <a href={paths.product(item.product_id)}>{item.name}</a>
              </th>
              <td class="num">{formatMoney(item.price, order.currency)}</td>
              <td class="num">{item.quantity}</td>
              <td class="num">
                {formatMoney(fromCents(toCents(item.price) * item.quantity), order.currency)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td class="num total" data-testid="order-total">
              {formatMoney(order.total_price, order.currency)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
