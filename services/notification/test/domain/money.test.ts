import { expect } from 'chai';
import { formatMoney, lineTotal } from '../../src/domain/money.js';

describe('formatMoney', function () {
  it('shows the amount with its currency and two decimals', function () {
    expect(formatMoney(609.97, 'USD')).to.equal('$609.97');
    expect(formatMoney(899.99, 'usd')).to.equal('$899.99');
    expect(formatMoney(1234.5, 'EUR')).to.equal('€1,234.50');
    expect(formatMoney(0, 'GBP')).to.equal('£0.00');
  });

  it('uses the currency code when there is no symbol', function () {
    expect(formatMoney(10, 'CHF')).to.match(/^CHF\s10\.00$/);
  });
});

describe('lineTotal', function () {
  it('multiplies in cents, so binary fractions do not show', function () {
    expect(lineTotal(0.1, 3)).to.equal(0.3);
    expect(lineTotal(179.99, 2)).to.equal(359.98);
    expect(lineTotal(19.99, 7)).to.equal(139.93);
  });
});
