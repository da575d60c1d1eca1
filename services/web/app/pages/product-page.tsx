import { useState } from 'preact/hooks';

import { StockBadge } from '../components/badges.js';
import { Page } from '../components/page.js';
import { ErrorMessage, LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { addToCart, MAX_LINE_QUANTITY } from '../lib/cart.js';
import { cart } from '../lib/cart-store.js';
import { formatMoney } from '../lib/money.js';
import { ApiError } from '../lib/problem.js';
import { paths } from '../lib/routes.js';
import type { Product } from '../lib/types.js';
import { useAsync } from '../lib/use-async.js';

function AddToCart(props: { product: Product }) {
  const { product } = props;
  const max = Math.min(product.quantity, MAX_LINE_QUANTITY);
  const [quantity, setQuantity] = useState('1');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  if (product.quantity <= 0) return <p>This product is out of stock right now.</p>;
  const add = (event: Event) => {
    event.preventDefault();
    const n = Number(quantity);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      setError(`Enter a whole number from 1 to ${max}.`);
      setMessage('');
      return;
    }
    setError('');
    cart.set((current) => addToCart(current, product, n));
    setMessage(`Added ${n} × ${product.name} to the cart.`);
  };
  return (
    <form class="add-to-cart" onSubmit={add} noValidate>
      <div class={error ? 'field field-invalid' : 'field'}>
        <label for="quantity">Quantity</label>
        <input
          id="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          step={1}
          value={quantity}
          onInput={(event) => setQuantity(event.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'quantity-error' : undefined}
        />
        {error && (
          <p class="field-error" id="quantity-error">
            {error}
          </p>
        )}
      </div>
      <button type="submit">Add to cart</button>
      <LiveStatus>
        {message}
        {message && ' '}
        {message && <a href={paths.cart}>View the cart</a>}
      </LiveStatus>
    </form>
  );
}

/** `/products/:id`: the product, its current stock, and adding it to the cart. */
export function ProductPage(props: { id: string }) {
  const product = useAsync((signal) => api.product(props.id, signal), [props.id]);
  const p = product.data;
  if (product.error instanceof ApiError && product.error.status === 404) {
    return (
      <Page title="Product not found">
        <p>
          There is no such product (any more). <a href={paths.catalog}>Back to the catalog</a>
        </p>
      </Page>
    );
  }
  return (
    <Page title={p?.name ?? 'Product'}>
      <LiveStatus>{product.loading && !p ? 'Loading the product…' : ''}</LiveStatus>
      <ErrorMessage error={product.error} retry={product.reload} />
      {p && (
        <div class="product-detail">
          {p.image_url && <img src={p.image_url} alt={p.name} class="product-image" />}
          <div>
            <p class="product-category">
              Category:{' '}
              <a href={`${paths.catalog}?category=${encodeURIComponent(p.category)}`}>{p.category}</a>
            </p>
            <p class="price price-large">{formatMoney(p.price, p.currency)}</p>
            <p>
              <StockBadge quantity={p.quantity} />
            </p>
            {p.description && <p class="description">{p.description}</p>}
            {p.tags.length > 0 && (
              <ul class="tags" aria-label="Tags">
                {p.tags.map((tag) => (
                  <li key={tag}>{tag}</li>
                ))}
              </ul>
            )}
            <AddToCart product={p} />
          </div>
        </div>
      )}
      <p>
        <a href={paths.catalog}>Back to the catalog</a>
      </p>
    </Page>
  );
}
