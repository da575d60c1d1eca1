import { loadCart, saveCart, type Cart } from './cart.js';
import { createStore } from './store.js';
import { storageOr } from './storage.js';

// The cart holds no secret: localStorage keeps it across tabs and visits.
const storage = storageOr(() => window.localStorage);

export const cart = createStore<Cart>(loadCart(storage));

cart.subscribe((value) => saveCart(storage, value));

// Another tab changed the cart: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === null || event.key === 'cartwheel.cart') cart.set(loadCart(storage));
});
