import { Page } from '../components/page.js';
import {
  cartTotalCents,
  removeFromCart,
  setQuantity,
  MAX_LINE_QUANTITY,
  type CartItem,
} from '../lib/cart.js';
import { cart } from '../lib/cart-store.js';
import { formatMoney, fromCents, toCents } from '../lib/money.js';
import { paths } from '../lib/routes.js';
import { session } from '../lib/session.js';
import { useStore } from '../lib/store.js';

function CartRow(props: { item: CartItem }) {
  const { item } = props;
  const inputId = `qty-${item.product_id}`;
  return (
    <tr>
      <th scope="row">
        <a href={paths.product(item.product_id)}>{item.name}</a>
      </th>
      <td class="num">{formatMoney(item.price, item.currency)}</td>
      <td class="num">
        <label for={inputId} class="visually-hidden">
          Quantity of {item.name}
        </label>
        <input
          id={inputId}
          class="quantity-input"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_LINE_QUANTITY}
          step={1}
          value={item.quantity}
          onChange={(event) => {
            const n = Number(event.currentTarget.value);
            if (Number.isInteger(n) && n >= 1) cart.set((c) => setQuantity(c, item.product_id, n));
            else event.currentTarget.value = String(item.quantity);
          }}
        />
      </td>
      <td class="num">{formatMoney(fromCents(toCents(item.price) * item.quantity), item.currency)}</td>
      <td>
        <button
          type="button"
          class="button-secondary"
          aria-label={`Remove ${item.name} from the cart`}
          onClick={() => cart.set((c) => removeFromCart(c, item.product_id))}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

/** `/cart`: the lines kept in this browser, quantities, the total, and the way to checkout. */
export function CartPage() {
  const current = useStore(cart);
  const state = useStore(session);
  const currency = current.items[0]?.currency ?? 'USD';
  if (current.items.length === 0) {
    return (
      <Page title="Cart">
        <p>
          Your cart is empty. <a href={paths.catalog}>Browse the catalog</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Cart">
      <div class="table-wrap">
        <table class="cart-table">
          <caption class="visually-hidden">Products in your cart</caption>
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
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {current.items.map((item) => (
              <CartRow key={item.product_id} item={item} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td class="num total" aria-live="polite">
                {formatMoney(fromCents(cartTotalCents(current)), currency)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="note">Prices are confirmed by the shop when you place the order.</p>
      <div class="actions">
        {state.status === 'signed-in' ? (
          <a class="button" href={paths.checkout}>
            Checkout
          </a>
        ) : (
          <a class="button" href={paths.signin(paths.checkout)}>
            Sign in to check out
          </a>
        )}
        <a href={paths.catalog}>Continue shopping</a>
      </div>
    </Page>
  );
}
