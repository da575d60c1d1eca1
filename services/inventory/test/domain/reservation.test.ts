import { expect } from 'chai';
import { assertSameItems, planReservation, summarise } from '../../src/domain/reservation.js';
import type { StockRecord } from '../../src/domain/stock.js';
import { reservationLine, stockRecord } from './builders.js';

const stock = (
  product_id: string,
  available_quantity: number,
  overrides: Partial<StockRecord> = {},
): StockRecord => stockRecord({ product_id, available_quantity, reorder_threshold: 1, ...overrides });
const line = reservationLine;

/** The AppError `fn` throws. */
function thrownBy(fn: () => unknown): { status: number; code: string; errors?: unknown; items?: unknown } {
  try {
    fn();
  } catch (error) {
    const e = error as { status: number; code: string; errors?: unknown; extensions?: { items?: unknown } };
    return { status: e.status, code: e.code, errors: e.errors, items: e.extensions?.items };
  }
  throw new Error('expected a throw');
}

describe('planReservation', () => {
  it('moves each quantity from available to reserved', () => {
    const changes = planReservation(
      [stock('a', 5), stock('b', 2)],
      [
        { product_id: 'b', quantity: 2 },
        { product_id: 'a', quantity: 1 },
      ],
    );
    expect(changes.map((c) => [c.product_id, c.available_quantity, c.reserved_quantity])).to.deep.equal([
      ['b', 0, 2],
      ['a', 4, 1],
    ]);
  });

  it('names every short item with what was asked and what is available', () => {
    const error = thrownBy(() =>
      planReservation(
        [stock('a', 1), stock('b', 9), stock('c', 0)],
        [
          { product_id: 'a', quantity: 2 },
          { product_id: 'b', quantity: 9 },
          { product_id: 'c', quantity: 1 },
        ],
      ),
    );
    expect(error).to.deep.include({ status: 409, code: 'insufficient_stock' });
    expect(error.items).to.deep.equal([
      { product_id: 'a', requested: 2, available: 1 },
      { product_id: 'c', requested: 1, available: 0 },
    ]);
  });

  it('answers 422 for a product without a record before any stock question', () => {
    const error = thrownBy(() =>
      planReservation(
        [stock('a', 0)],
        [
          { product_id: 'a', quantity: 1 },
          { product_id: 'zz', quantity: 1 },
        ],
      ),
    );
    expect(error).to.deep.include({ status: 422, code: 'unknown_product' });
    expect(error.errors).to.deep.equal([{ path: 'items.1.product_id', message: 'no stock for zz' }]);
  });

  it('answers 409 for a discontinued product, even with stock', () => {
    const error = thrownBy(() =>
      planReservation([stock('a', 10, { discontinued: true })], [{ product_id: 'a', quantity: 1 }]),
    );
    expect(error).to.deep.include({ status: 409, code: 'product_discontinued' });
  });
});

describe('assertSameItems', () => {
  it('accepts the same items in any order', () => {
    expect(() =>
      assertSameItems(
        [line('a', 1), line('b', 2)],
        [
          { product_id: 'b', quantity: 2 },
          { product_id: 'a', quantity: 1 },
        ],
      ),
    ).not.to.throw();
  });

  it('refuses other quantities, fewer items or more items as a reused order id', () => {
    const held = [line('a', 1), line('b', 2)];
    for (const items of [
      [
        { product_id: 'a', quantity: 1 },
        { product_id: 'b', quantity: 3 },
      ],
      [{ product_id: 'a', quantity: 1 }],
      [
        { product_id: 'a', quantity: 1 },
        { product_id: 'b', quantity: 2 },
        { product_id: 'c', quantity: 1 },
      ],
    ]) {
      expect(thrownBy(() => assertSameItems(held, items))).to.deep.include({
        status: 409,
        code: 'order_id_conflict',
      });
    }
  });

  it('refuses a repeat of a released reservation: it holds nothing any more', () => {
    const error = thrownBy(() =>
      assertSameItems([line('a', 1, { state: 'released' })], [{ product_id: 'a', quantity: 1 }]),
    );
    expect(error).to.deep.include({ status: 409, code: 'reservation_released' });
  });
});

describe('summarise', () => {
  it('reports one state, confirmed only when every line is, and the earliest expiry', () => {
    const summary = summarise([
      line('a', 1, { confirmed_at: '2025-05-15T11:46:00.000Z', expires_at: '2025-05-15T12:01:00.000Z' }),
      line('b', 2, { confirmed_at: null }),
    ]);
    expect(summary).to.deep.include({
      order_id: 'o1',
      state: 'reserved',
      confirmed: false,
      expires_at: '2025-05-15T12:00:00.000Z',
    });
  });

  it('reports mixed when lines ended differently', () => {
    expect(summarise([line('a', 1), line('b', 2, { state: 'released' })]).state).to.equal('mixed');
  });
});
