import { expect } from 'chai';
import { centsToAmount, decimalToCents, priceToCents } from '../../src/domain/money.js';

describe('priceToCents', function () {
  it('converts amounts with up to two decimals exactly', function () {
    expect([899.99, 249.99, 179.99, 0.01, 0.1, 1, 1_000_000].map(priceToCents)).to.deep.equal(
      [89999, 24999, 17999, 1, 10, 100, 100_000_000].map((cents) => ({ cents })),
    );
  });

  it('refuses float artefacts and a third decimal instead of rounding them', function () {
    expect(priceToCents(0.1 + 0.2)).to.deep.equal({ problem: 'must have at most two decimals' });
    expect(priceToCents(19.999)).to.deep.equal({ problem: 'must have at most two decimals' });
    expect(priceToCents(1e-7)).to.deep.equal({ problem: 'must have at most two decimals' });
  });

  it('refuses zero, negatives, amounts above the maximum and non-finite numbers', function () {
    expect(priceToCents(0)).to.deep.equal({ problem: 'must be greater than 0' });
    expect(priceToCents(-1)).to.deep.equal({ problem: 'must be greater than 0' });
    expect(priceToCents(1_000_000.01)).to.deep.equal({ problem: 'must be at most 1000000' });
    expect(priceToCents(1e21)).to.deep.equal({ problem: 'must be at most 1000000' });
    expect(priceToCents(Number.NaN)).to.deep.equal({ problem: 'must be a number' });
  });
});

describe('decimalToCents', function () {
  it('parses non-negative query amounts and rejects anything else', function () {
    expect(['100', '99.5', '0', '300.00'].map(decimalToCents)).to.deep.equal([10000, 9950, 0, 30000]);
    expect(['-1', '1.234', 'abc', '', '1e3', ' 5', '1234567890'].map(decimalToCents)).to.deep.equal(
      Array(7).fill(undefined),
    );
  });
});

describe('centsToAmount', function () {
  it('renders minor units as numbers with at most two decimals, and sums stay exact in cents', function () {
    expect(centsToAmount(89999)).to.equal(899.99);
    expect(centsToAmount(24999 + 2 * 17999)).to.equal(609.97);
  });
});
