import { expect } from 'chai';

import {
  addToCart,
  cartCount,
  cartTotalCents,
  CART_KEY,
  emptyCart,
  loadCart,
  MAX_LINE_QUANTITY,
  removeFromCart,
  repriceCart,
  saveCart,
  setQuantity,
} from '../../app/lib/cart.js';
import { formatMoney, fromCents, parseAmount, toCents } from '../../app/lib/money.js';
import { memoryStorage } from '../../app/lib/storage.js';

const headphones = { _id: 'p2', name: 'Headphones', price: 249.99, currency: 'USD' };
const watch = { _id: 'p3', name: 'Fitness Watch', price: 179.99, currency: 'USD' };

describe('cart', () => {
  it('when the same product is added twice, then it stays one line with the quantities summed', () => {
    const cart = addToCart(addToCart(emptyCart(), watch), watch, 2);
    expect(cart.items).to.have.length(1);
    expect(cart.items[0]).to.include({ product_id: 'p3', quantity: 3 });
    expect(cartCount(cart)).to.equal(3);
  });

  it('sums in cents: 249.99 + 2 × 179.99 is exactly 609.97 (seed 5.3)', () => {
    const cart = addToCart(addToCart(emptyCart(), headphones), watch, 2);
    expect(cartTotalCents(cart)).to.equal(60997);
    expect(fromCents(cartTotalCents(cart))).to.equal(609.97);
    expect(formatMoney(fromCents(cartTotalCents(cart)), 'USD', 'en-US')).to.equal('$609.97');
  });

  it('when a quantity is set outside 1–1,000, then it is kept in range; 0 removes the line', () => {
    let cart = addToCart(emptyCart(), watch);
    cart = setQuantity(cart, 'p3', 5000);
    expect(cart.items[0].quantity).to.equal(MAX_LINE_QUANTITY);
    cart = setQuantity(cart, 'p3', 2.7);
    expect(cart.items[0].quantity).to.equal(2);
    expect(setQuantity(cart, 'p3', 0).items).to.deep.equal([]);
    expect(setQuantity(cart, 'p3', Number.NaN).items).to.deep.equal([]);
    expect(removeFromCart(cart, 'p3').items).to.deep.equal([]);
  });

  it('when the shop answers price_changed, then the lines take the current prices', () => {
    const cart = repriceCart(addToCart(addToCart(emptyCart(), headphones), watch), [
      { product_id: 'p3', current_price: 159.99 },
    ]);
    expect(cart.items.map((i) => i.price)).to.deep.equal([249.99, 159.99]);
  });

  it('when the stored cart is malformed or tampered with, then what is unusable is dropped, never thrown', () => {
    const storage = memoryStorage();
    expect(loadCart(storage)).to.deep.equal(emptyCart());
    storage.setItem(CART_KEY, '{not json');
    expect(loadCart(storage)).to.deep.equal(emptyCart());
    storage.setItem(
      CART_KEY,
      JSON.stringify({
        items: [
          { product_id: 'p3', name: 'Watch', price: 179.99, currency: 'USD', quantity: 2 },
          { product_id: 'p4', name: 'Bad', price: '1', currency: 'USD', quantity: 1 },
          { product_id: 'p5', name: 'Negative', price: 1, currency: 'USD', quantity: -4 },
          null,
        ],
      }),
    );
    expect(loadCart(storage).items.map((i) => i.product_id)).to.deep.equal(['p3']);
    saveCart(storage, emptyCart());
    expect(storage.getItem(CART_KEY)).to.equal('{"items":[]}');
  });
});

describe('money', () => {
  it('parses typed amounts with at most two decimals, and nothing else', () => {
    expect(parseAmount(' 12.5 ')).to.equal(12.5);
    expect(parseAmount('0.1')).to.equal(0.1);
    expect(parseAmount('19.99')).to.equal(19.99);
    for (const bad of ['', '1.234', '-3', '1e3', 'abc', '12,50'])
      expect(parseAmount(bad), bad).to.equal(undefined);
    expect(toCents(0.1 + 0.2)).to.equal(30);
  });
});
