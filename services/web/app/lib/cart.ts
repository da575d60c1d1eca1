import { toCents } from './money.js';
import type { KeyValueStorage } from './storage.js';

/** One line of the cart, with what the shopper saw when adding it. */
export interface CartItem {
  product_id: string;
  name: string;
  /** Unit price as the catalog showed it; the order service prices from the catalog again. */
  price: number;
  currency: string;
  quantity: number;
}

export interface Cart {
  items: CartItem[];
}

/** Per line, as the order service allows (1–1,000). */
export const MAX_LINE_QUANTITY = 1000;
/** An order has at most 50 lines. */
export const MAX_LINES = 50;
export const CART_KEY = 'cartwheel.cart';

export const emptyCart = (): Cart => ({ items: [] });

const clamp = (quantity: number) => Math.min(MAX_LINE_QUANTITY, Math.max(1, Math.floor(quantity)));

/** Adds `quantity` of a product; a product already in the cart gets more on its line. */
export function addToCart(
  cart: Cart,
  product: { _id: string; name: string; price: number; currency: string },
  quantity = 1,
): Cart {
  const existing = cart.items.find((item) => item.product_id === product._id);
  if (existing) return setQuantity(cart, product._id, existing.quantity + quantity);
  if (cart.items.length >= MAX_LINES) return cart;
  const item: CartItem = {
    product_id: product._id,
    name: product.name,
    price: product.price,
    currency: product.currency,
    quantity: clamp(quantity),
  };
  return { items: [...cart.items, item] };
}

/** Sets a line's quantity (kept within 1–1,000); 0 or less removes the line. */
export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!Number.isFinite(quantity) || quantity < 1) return removeFromCart(cart, productId);
  return {
    items: cart.items.map((item) =>
      item.product_id === productId ? { ...item, quantity: clamp(quantity) } : item,
    ),
  };
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return { items: cart.items.filter((item) => item.product_id !== productId) };
}

/** Updates the unit prices the catalog now asks (after a `price_changed` answer). */
export function repriceCart(cart: Cart, prices: { product_id: string; current_price: number }[]): Cart {
  const current = new Map(prices.map((p) => [p.product_id, p.current_price]));
  return {
    items: cart.items.map((item) =>
      current.has(item.product_id) ? { ...item, price: current.get(item.product_id)! } : item,
    ),
  };
}

/** The total in cents: each line's unit price in cents times its quantity. */
export function cartTotalCents(cart: Cart): number {
  return cart.items.reduce((sum, item) => sum + toCents(item.price) * item.quantity, 0);
}

export function cartCount(cart: Cart): number {
  return cart.items.reduce((sum, item) => sum + item.quantity, 0);
}

/** The cart a storage holds; anything unreadable is an empty cart, never an error. */
export function loadCart(storage: Pick<KeyValueStorage, 'getItem'>): Cart {
  try {
    const value = JSON.parse(storage.getItem(CART_KEY) ?? 'null') as Cart | null;
    if (!value || !Array.isArray(value.items)) return emptyCart();
    const items = value.items.filter(
      (item) =>
        typeof item?.product_id === 'string' &&
        typeof item.name === 'string' &&
        typeof item.price === 'number' &&
        typeof item.currency === 'string' &&
        Number.isInteger(item.quantity) &&
        item.quantity > 0,
    );
    return { items: items.slice(0, MAX_LINES).map((item) => ({ ...item, quantity: clamp(item.quantity) })) };
  } catch {
    return emptyCart();
  }
}

export function saveCart(storage: Pick<KeyValueStorage, 'setItem'>, cart: Cart): void {
  try {
    storage.setItem(CART_KEY, JSON.stringify(cart));
  } catch {
    // Storage full or disabled: the cart still works for this page's lifetime.
  }
}
