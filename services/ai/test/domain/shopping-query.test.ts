import { expect } from 'chai';
import { parseShoppingQuery, searchKeywords } from '../../src/domain/shopping-query.js';

const CATEGORIES = ['Audio', 'Electronics', 'Wearables', 'Home Office'];

describe('parseShoppingQuery', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['wireless headphones under 300', { max_price: 300, q: 'wireless headphones' }],
    ['a smartphone below $1,000.50', { max_price: 1000.5, q: 'smartphone' }],
    ['less than 80 dollars', { max_price: 80 }],
    ['between 100 and 200', { min_price: 100, max_price: 200 }],
    ['between 200 and 100', { min_price: 100, max_price: 200 }],
    ['from $100 to $250', { min_price: 100, max_price: 250 }],
    ['watch 150-200', { min_price: 150, max_price: 200, q: 'watch' }],
    ['over 50', { min_price: 50 }],
    ['at least 20 and at most 90', { min_price: 20, max_price: 90 }],
    ['wearables please', { category: 'Wearables' }],
    ['something for the home office under 500', { max_price: 500, category: 'Home Office' }],
    ['AUDIO gear', { category: 'Audio', q: 'gear' }],
    ['What products do you have?', {}],
    ['a tent for 2 to 3 people', { q: 'tent people' }],
  ];
  for (const [text, filters] of cases) {
    it(`reads "${text}" as ${JSON.stringify(filters)}`, () => {
      expect(parseShoppingQuery(text, CATEGORIES)).to.deep.equal(filters);
    });
  }

  it('keeps at most six keywords', () => {
    expect(parseShoppingQuery('red blue green small large round square', []).q?.split(' ')).to.have.length(6);
  });
});

describe('searchKeywords', () => {
  it('cuts plurals to a prefix of the singular, which the catalog matches as a prefix', () => {
    expect(searchKeywords('watches headphones glasses batteries')).to.deep.equal([
      'watch',
      'headphon',
      'glass',
      'batteri',
    ]);
  });

  it('drops stop words and duplicates', () => {
    expect(searchKeywords('show me the watch and watches')).to.deep.equal(['watch']);
  });

  it('returns nothing for nothing', () => {
    expect(searchKeywords(undefined)).to.deep.equal([]);
  });
});
