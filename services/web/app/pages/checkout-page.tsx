import { useRef, useState } from 'preact/hooks';

import { TextField } from '../components/fields.js';
import { FormAlert } from '../components/form-alert.js';
import { Page } from '../components/page.js';
import { RequireRole } from '../components/require-role.js';
import { LiveStatus } from '../components/status.js';
import { api } from '../lib/api.js';
import { cartTotalCents, emptyCart, repriceCart, type Cart } from '../lib/cart.js';
import { cart } from '../lib/cart-store.js';
import { showFlash } from '../lib/flash.js';
import { newIdempotencyKey } from '../lib/ids.js';
import { formatMoney, fromCents, toCents } from '../lib/money.js';
import { navigate } from '../lib/navigation.js';
import { ApiError, fieldErrors } from '../lib/problem.js';
import { paths } from '../lib/routes.js';
import { reloadUser } from '../lib/session.js';
import { useStore } from '../lib/store.js';
import { useEditedFields } from '../lib/use-edited-fields.js';
import type { Address, ShippingAddress, User } from '../lib/types.js';

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;
type AddressForm = Record<(typeof ADDRESS_FIELDS)[number], string>;
const REQUIRED: (keyof AddressForm)[] = ['line1', 'city', 'postal_code', 'country'];
/** The new-address fields, in the order of a postal address, with the browser's autofill names. */
const ADDRESS_INPUTS: { field: keyof AddressForm; label: string; autocomplete: string }[] = [
  { field: 'line1', label: 'Address line 1', autocomplete: 'address-line1' },
  { field: 'line2', label: 'Address line 2 (optional)', autocomplete: 'address-line2' },
  { field: 'city', label: 'City', autocomplete: 'address-level2' },
  { field: 'state', label: 'State or region (optional)', autocomplete: 'address-level1' },
  { field: 'postal_code', label: 'Postal code', autocomplete: 'postal-code' },
  { field: 'country', label: 'Country', autocomplete: 'country-name' },
];
const emptyAddress: AddressForm = { line1: '', line2: '', city: '', state: '', postal_code: '', country: '' };

function formatAddress(a: ShippingAddress): string {
  return [a.line1, a.line2, a.city, a.state, a.postal_code, a.country].filter(Boolean).join(', ');
}

function toShipping(a: AddressForm | Address): ShippingAddress {
  const value = (text: string | null | undefined) => (text ? text.trim() : '');
  const address: ShippingAddress = {
    line1: value(a.line1),
    city: value(a.city),
    postal_code: value(a.postal_code),
    country: value(a.country),
  };
  if (value(a.line2)) address.line2 = value(a.line2);
  if (value(a.state)) address.state = value(a.state);
  return address;
}

/** A 409 the order service explains with `items`: what changed or ran short, in words. */
function conflictMessage(error: ApiError, current: Cart, currency: string): string | undefined {
  const name = (id: string) => current.items.find((i) => i.product_id === id)?.name ?? id;
  const items = Array.isArray(error.problem.items) ? (error.problem.items as Record<string, unknown>[]) : [];
  if (error.problem.type === 'urn:cartwheel:problem:price_changed') {
    const changes = items.map(
      (i) => `${name(String(i.product_id))} now costs ${formatMoney(Number(i.current_price), currency)}`,
    );
    return `Prices changed since you added them: ${changes.join('; ')}. The cart now shows the current prices; review and place the order again.`;
  }
  if (error.problem.type === 'urn:cartwheel:problem:insufficient_stock') {
    const short = items.map((i) => `${name(String(i.product_id))}: ${String(i.available)} available`);
    return `Not enough stock: ${short.join('; ')}. Lower the quantities in the cart and try again.`;
  }
  return undefined;
}

function CheckoutForm(props: { user: User }) {
  const { user } = props;
  const current = useStore(cart);
  const saved = user.addresses;
  const [choice, setChoice] = useState<string>(() => {
    const preferred = saved.find((a) => a.is_default) ?? saved[0];
    return preferred ? String(preferred.id) : 'new';
  });
  const [address, setAddress] = useState<AddressForm>(emptyAddress);
  const [save, setSave] = useState(saved.length === 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const attempt = useRef<{ body: string; key: string }>(undefined);
  const form = useRef<HTMLFormElement>(null);
  const currency = current.items[0]?.currency ?? 'USD';

  // Saving an address names `line1`; placing the order names `shipping_address.line1`.
  const editing = useEditedFields();
  const addressErrors = editing.visible({
    ...fieldErrors(error),
    ...fieldErrors(error, 'shipping_address.'),
  });
  const set = (field: keyof AddressForm) => (value: string) => {
    editing.markEdited(field);
    setAddress((a) => ({ ...a, [field]: value }));
  };

  const place = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setError(undefined);
    editing.reset();
    let shipping: ShippingAddress;
    if (choice === 'new') {
      const missing = REQUIRED.filter((field) => !address[field].trim());
      if (missing.length > 0) {
        const errors = missing.map((path) => ({ path, message: 'Required.' }));
        setError(
          new ApiError(400, { title: 'Missing fields', detail: 'Please fill in the address.', errors }),
        );
        return;
      }
      shipping = toShipping(address);
    } else {
      const chosen = saved.find((a) => String(a.id) === choice);
      if (!chosen) return;
      shipping = toShipping(chosen);
    }
    const body = {
      items: current.items.map((i) => ({ product_id: i.product_id, quantity: i.quantity, price: i.price })),
      shipping_address: shipping,
    };
    const text = JSON.stringify(body);
    // The same body keeps its key (a retry after a lost answer returns the same order); a changed one gets a new key.
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    try {
      if (choice === 'new' && save) {
        await api.addAddress({ ...shipping, is_default: saved.length === 0 });
        void reloadUser().catch(() => undefined);
      }
      const order = await api.placeOrder(body, attempt.current.key);
      cart.set(emptyCart());
      showFlash(paths.order(order._id), 'Thank you! Your order is placed.');
      navigate(paths.order(order._id));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        const items = Array.isArray(failure.problem.items)
          ? (failure.problem.items as { product_id: string; current_price: number }[])
          : [];
        const message = conflictMessage(failure, current, currency);
        if (failure.problem.type === 'urn:cartwheel:problem:price_changed')
          cart.set((c) => repriceCart(c, items));
        setError(message ? new ApiError(409, { title: 'Conflict', detail: message }) : failure);
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };

  if (current.items.length === 0) {
    return (
      <p>
        Your cart is empty. <a href={paths.catalog}>Browse the catalog</a>
      </p>
    );
  }

  return (
    <form class="checkout" onSubmit={place} ref={form} noValidate>
      <FormAlert
        error={error}
        form={form}
        fields={[...ADDRESS_FIELDS, ...ADDRESS_FIELDS.map((field) => `shipping_address.${field}`)]}
      />
      <section aria-labelledby="summary-title" class="panel">
        <h2 id="summary-title">Your order</h2>
        <ul class="summary">
          {current.items.map((item) => (
            <li key={item.product_id}>
              <span>
                {item.quantity} × {item.name}
              </span>
              <span>{formatMoney(fromCents(toCents(item.price) * item.quantity), item.currency)}</span>
            </li>
          ))}
        </ul>
        <p class="summary-total">
          Total: <strong>{formatMoney(fromCents(cartTotalCents(current)), currency)}</strong>
        </p>
        <a href={paths.cart}>Change the cart</a>
      </section>
      <fieldset class="panel">
        <legend>Shipping address</legend>
        {saved.map((a) => (
          <div class="field field-radio" key={a.id}>
            <input
              type="radio"
              id={`address-${a.id}`}
              name="address"
              value={String(a.id)}
              checked={choice === String(a.id)}
              onChange={() => setChoice(String(a.id))}
            />
            <label for={`address-${a.id}`}>
              {formatAddress(a)}
              {a.is_default && ' (default)'}
            </label>
          </div>
        ))}
        {saved.length > 0 && (
          <div class="field field-radio">
            <input
              type="radio"
              id="address-new"
              name="address"
              value="new"
              checked={choice === 'new'}
              onChange={() => setChoice('new')}
            />
            <label for="address-new">A new address</label>
          </div>
        )}
        {choice === 'new' && (
          <div class="address-form">
            {ADDRESS_INPUTS.map((input) => (
              <TextField
                key={input.field}
                id={input.field}
                label={input.label}
                autocomplete={input.autocomplete}
                value={address[input.field]}
                onValue={set(input.field)}
                error={addressErrors[input.field]}
                required={REQUIRED.includes(input.field)}
              />
            ))}
            <div class="field field-checkbox">
              <input
                id="save-address"
                type="checkbox"
                checked={save}
                onChange={(e) => setSave(e.currentTarget.checked)}
              />
              <label for="save-address">Save this address to my account</label>
            </div>
          </div>
        )}
      </fieldset>
      <LiveStatus>{busy ? 'Placing your order…' : ''}</LiveStatus>
      <button type="submit" disabled={busy}>
        Place order
      </button>
    </form>
  );
}

/** `/checkout`: a saved or new shipping address, then the order (role `user` only, as the API). */
export function CheckoutPage() {
  return (
    <RequireRole title="Checkout" role="user">
      {(user) => (
        <Page title="Checkout">
          <CheckoutForm user={user} />
        </Page>
      )}
    </RequireRole>
  );
}
