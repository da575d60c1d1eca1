import { expect } from 'chai';
import type { CatalogProduct } from '../../src/domain/catalog.js';
import { rankRelated } from '../../src/domain/recommend.use-case.js';

const product = (id: string, category: string, price: number): CatalogProduct => ({
  id,
  name: `Product ${id}`,
  description: '',
  category,
  price,
  currency: 'USD',
  quantity: 1,
  tags: [],
  image_url: null,
});

describe('rankRelated', () => {
  const viewed = product('v', 'Audio', 100);

  it('puts the same category first, each group by distance to the price, without the product itself or duplicates', () => {
    const pool = [
      product('far-audio', 'Audio', 300),
      product('near-other', 'Toys', 101),
      viewed,
      product('near-audio', 'audio', 90),
      product('far-audio', 'Audio', 300),
      product('far-other', 'Toys', 10),
    ];

    expect(rankRelated(viewed, pool).map((p) => p.id)).to.deep.equal([
      'near-audio',
      'far-audio',
      'near-other',
      'far-other',
    ]);
  });

  it('breaks ties by name', () => {
    const ranked = rankRelated(viewed, [product('b', 'Audio', 110), product('a', 'Audio', 90)]);

    expect(ranked.map((p) => p.id)).to.deep.equal(['a', 'b']);
  });
});
