import { expect } from 'chai';
import { changeStock, defaultReorderThreshold, newStock } from '../../src/domain/stock.js';
import { stockRecord } from './builders.js';

const record = stockRecord;

describe('defaultReorderThreshold', () => {
  it('is 10 % of the initial quantity, rounded down (seed 000: 50 → 5, 100 → 10)', () => {
    expect([50, 100, 75, 19].map(defaultReorderThreshold)).to.deep.equal([5, 10, 7, 1]);
  });

  it('is at least 1, also for an empty or tiny stock', () => {
    expect([0, 1, 9].map(defaultReorderThreshold)).to.deep.equal([1, 1, 1]);
  });
});

describe('newStock', () => {
  it('starts notified when it starts below its threshold, so its creation carries the inventory.low', () => {
    expect(newStock('p1', 0)).to.include({ reorder_threshold: 1, low_notified: true });
    expect(newStock('p1', 50)).to.include({ reorder_threshold: 5, low_notified: false });
    expect(newStock('p1', 3, 0)).to.include({ reorder_threshold: 0, low_notified: false });
  });
});

describe('changeStock', () => {
  it('crosses low when available goes from the threshold to below it', () => {
    const change = changeStock(record({ available_quantity: 5 }), { available_quantity: 4 });
    expect(change).to.include({ available_quantity: 4, low_notified: true, lowCrossed: true });
  });

  it('does not cross again while it stays low', () => {
    const change = changeStock(record({ available_quantity: 4, low_notified: true }), {
      available_quantity: 2,
    });
    expect(change).to.include({ low_notified: true, lowCrossed: false });
  });

  it('re-arms when available is back at the threshold', () => {
    const change = changeStock(record({ available_quantity: 4, low_notified: true }), {
      available_quantity: 5,
    });
    expect(change).to.include({ low_notified: false, lowCrossed: false });
  });

  it('crosses when the threshold is raised above what is available', () => {
    expect(changeStock(record(), { reorder_threshold: 11 })).to.include({ lowCrossed: true });
  });

  it('keeps what it is not told to change', () => {
    const change = changeStock(record({ reserved_quantity: 3, discontinued: true }), {
      available_quantity: 7,
    });
    expect(change).to.deep.equal({
      product_id: 'p1',
      available_quantity: 7,
      reserved_quantity: 3,
      reorder_threshold: 5,
      discontinued: true,
      low_notified: false,
      lowCrossed: false,
    });
  });

  it('refuses to go below zero as a bug (500), since callers check their rule first', () => {
    expect(() => changeStock(record(), { reserved_quantity: -1 })).to.throw('Stock would go below zero');
  });
});
