import { expect } from 'chai';
import { changedFields, productId, viewOfChanges, type Product } from '../../src/domain/product.js';

const current: Product = {
  id: '64d0c0de0000000000000001',
  name: 'Kettle',
  description: 'Boils',
  category: 'Kitchen',
  price_cents: 5450,
  currency: 'USD',
  quantity: 3,
  tags: ['tea'],
  image_url: null,
  created_at: new Date(0),
  updated_at: new Date(0),
  version: 1,
  stock_version: 0,
};

describe('changedFields', function () {
  it('keeps only the given fields whose value differs, comparing arrays by content', function () {
    expect(
      changedFields(current, { name: 'Kettle', tags: ['tea'], price_cents: 5000, image_url: null }),
    ).to.deep.equal({ price_cents: 5000 });
    expect(changedFields(current, { tags: ['tea', 'coffee'] })).to.deep.equal({ tags: ['tea', 'coffee'] });
    expect(changedFields(current, {})).to.deep.equal({});
  });
});

describe('viewOfChanges', function () {
  it('names the price as the API does, in major units', function () {
    expect(viewOfChanges({ price_cents: 89999, name: 'x' })).to.deep.equal({ price: 899.99, name: 'x' });
  });
});

describe('productId', function () {
  it('accepts 24 hex characters in any case and refuses everything else', function () {
    expect(productId('64D0C0DE0000000000000001')).to.equal('64d0c0de0000000000000001');
    expect(
      ['', '123', 'g'.repeat(24), '64d0c0de00000000000000010', '{"$gt":""}'].map(productId),
    ).to.deep.equal(Array(5).fill(undefined));
  });
});
