import { expect } from 'chai';
import { allowedNext, planMove } from '../../src/domain/status-machine.js';
import { ORDER_STATUSES, type OrderStatus } from '../../src/domain/order.js';

const statusOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { status: number }).status;
  }
};

describe('planMove', () => {
  const admin = { admin: true };
  const owner = { admin: false };

  it('allows exactly the machine’s moves: pending → paid → shipped → delivered, pending|paid → cancelled', () => {
    const legal: Array<[OrderStatus, OrderStatus]> = [];
    for (const from of ORDER_STATUSES)
      for (const to of ORDER_STATUSES)
        if (from !== to && statusOf(() => planMove(from, to, admin)) === undefined) legal.push([from, to]);
    expect(legal).to.deep.equal([
      ['pending', 'paid'],
      ['pending', 'cancelled'],
      ['paid', 'shipped'],
      ['paid', 'cancelled'],
      ['shipped', 'delivered'],
    ]);
  });

  it('answers false (nothing to do) when the order already has the status', () => {
    for (const status of ORDER_STATUSES) expect(planMove(status, status, owner)).to.equal(false);
  });

  it('refuses an illegal move with 409 naming the allowed next states', () => {
    try {
      planMove('shipped', 'cancelled', admin);
      expect.fail('expected a refusal');
    } catch (error) {
      expect(error).to.deep.include({ status: 409, code: 'illegal_transition' });
      expect((error as { extensions: unknown }).extensions).to.deep.equal({
        current_status: 'shipped',
        allowed: ['delivered'],
      });
    }
  });

  it('lets the owner pay and cancel, and answers 403 when they ship or deliver', () => {
    expect(planMove('pending', 'paid', owner)).to.equal(true);
    expect(planMove('paid', 'cancelled', owner)).to.equal(true);
    expect(statusOf(() => planMove('paid', 'shipped', owner))).to.equal(403);
    expect(statusOf(() => planMove('shipped', 'delivered', owner))).to.equal(403);
  });

  it('checks the machine before the role: an owner’s illegal move is a 409, not a 403', () => {
    expect(statusOf(() => planMove('pending', 'delivered', owner))).to.equal(409);
  });
});

describe('allowedNext', () => {
  it('has no way out of delivered and cancelled', () => {
    expect(allowedNext('delivered')).to.deep.equal([]);
    expect(allowedNext('cancelled')).to.deep.equal([]);
  });
});
