import { expect } from 'chai';
import { fromCents, hasAtMostTwoDecimals, toCents } from '../../src/domain/money.js';
import { totalCents } from '../../src/domain/order.js';

describe('toCents', () => {
  it('turns amounts with at most two decimals into exact integer cents', () => {
    expect([899.99, 249.99, 179.99, 0.1, 0.29, 1_000_000, 0].map(toCents)).to.deep.equal([
      89999, 24999, 17999, 10, 29, 100_000_000, 0,
    ]);
  });

  it('refuses amounts with more decimals instead of rounding them', () => {
    expect(() => toCents(0.1 + 0.2)).to.throw(RangeError);
    expect(() => toCents(9.999)).to.throw(RangeError);
  });
});

describe('hasAtMostTwoDecimals', () => {
  it('accepts 1, 1.5, 1.25 and refuses 1.255, negatives, NaN and Infinity', () => {
    expect([1, 1.5, 1.25].every(hasAtMostTwoDecimals)).to.equal(true);
    expect([1.255, -1, Number.NaN, Number.POSITIVE_INFINITY].some(hasAtMostTwoDecimals)).to.equal(false);
  });
});

describe('fromCents', () => {
  it('shows the seed’s total 249.99 + 2 × 179.99 as exactly 609.97', () => {
    const cents = totalCents([
      { product_id: 'a', name: 'A', quantity: 1, unit_price_cents: 24999 },
      { product_id: 'b', name: 'B', quantity: 2, unit_price_cents: 17999 },
    ]);
    expect(cents).to.equal(60997);
    expect(fromCents(cents)).to.equal(609.97);
    expect(JSON.stringify(fromCents(cents))).to.equal('609.97');
  });
});
