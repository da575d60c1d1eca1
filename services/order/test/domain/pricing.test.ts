import { expect } from 'chai';
import type { CatalogProduct } from '../../src/domain/ports.js';
import { priceLines } from '../../src/domain/pricing.js';
import { requestHash } from '../../src/domain/idempotency.js';
import { publicUserId } from '../../src/domain/order-view.js';

const product = (product_id: string, price_cents: number, currency = 'USD'): CatalogProduct => ({
  product_id,
  name: `Product ${product_id}`,
  price_cents,
  currency,
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { status: number; code: string; errors: unknown; extensions: unknown };
  }
  throw new Error('expected a refusal');
};

describe('priceLines', () => {
  it('prices every line from the catalog, keeping the requested order and names', () => {
    const { lines, currency } = priceLines(
      [
        { product_id: 'b', quantity: 2 },
        { product_id: 'a', quantity: 1, price: 2.5 },
      ],
      [product('a', 250), product('b', 1999)],
    );
    expect(currency).to.equal('USD');
    expect(lines).to.deep.equal([
      { product_id: 'b', name: 'Product b', quantity: 2, unit_price_cents: 1999 },
      { product_id: 'a', name: 'Product a', quantity: 1, unit_price_cents: 250 },
    ]);
  });

  it('names every line whose product the catalog does not have (422)', () => {
    const error = refusal(() =>
      priceLines(
        [
          { product_id: 'a', quantity: 1 },
          { product_id: 'x', quantity: 1 },
          { product_id: 'y', quantity: 1 },
        ],
        [product('a', 1)],
      ),
    );
    expect(error).to.deep.include({ status: 422, code: 'unknown_product' });
    expect((error.errors as Array<{ path: string }>).map((e) => e.path)).to.deep.equal([
      'items.1.product_id',
      'items.2.product_id',
    ]);
  });

  it('refuses products priced in two currencies (422)', () => {
    const error = refusal(() =>
      priceLines(
        [
          { product_id: 'a', quantity: 1 },
          { product_id: 'b', quantity: 1 },
        ],
        [product('a', 1), product('b', 1, 'EUR')],
      ),
    );
    expect(error).to.deep.include({ status: 422, code: 'mixed_currency' });
  });

  it('answers 409 with the current price when a stated price is not the catalog’s', () => {
    const error = refusal(() =>
      priceLines([{ product_id: 'a', quantity: 1, price: 9.99 }], [product('a', 1099)]),
    );
    expect(error).to.deep.include({ status: 409, code: 'price_changed' });
    expect(error.extensions).to.deep.equal({
      items: [{ product_id: 'a', price: 9.99, current_price: 10.99 }],
    });
  });
});

describe('requestHash', () => {
  it('is the same for the same body in another key order, and differs for another body', () => {
    const a = requestHash({
      items: [{ product_id: 'p', quantity: 1 }],
      shipping_address: { city: 'X', line1: 'Y' },
    });
    const b = requestHash({
      shipping_address: { line1: 'Y', city: 'X' },
      items: [{ quantity: 1, product_id: 'p' }],
    });
    const c = requestHash({
      items: [{ product_id: 'p', quantity: 2 }],
      shipping_address: { city: 'X', line1: 'Y' },
    });
    expect(a).to.equal(b);
    expect(a).to.not.equal(c);
  });
});

describe('publicUserId', () => {
  it('shows numeric subjects (our own users) as numbers and others as strings', () => {
    expect(publicUserId('42')).to.equal(42);
    expect(publicUserId('0')).to.equal(0);
    expect(publicUserId('007')).to.equal('007');
    expect(publicUserId('f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).to.equal(
      'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
    );
    expect(publicUserId('12345678901234567890')).to.equal('12345678901234567890');
  });
});
