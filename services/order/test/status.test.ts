import { expect } from 'chai';
import {
  createProduct,
  levels,
  mintedShopper,
  outboxEvents,
  SEED_ADDRESS,
  type Shopper,
} from './support/fixtures.js';
import { startPlatform, type Platform } from './support/platform.js';

describe('reading orders, the status machine and cancelling', function () {
  this.timeout(60_000);
  let platform: Platform;
  let productId: string;

  before(async () => {
    platform = await startPlatform();
    productId = await createProduct(platform, { price: 4.99, quantity: 1_000 });
  });
  after(() => platform?.stop());

  async function placed(buyer: Shopper, quantity = 1): Promise<string> {
    const reply = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      body: { items: [{ product_id: productId, quantity }], shipping_address: SEED_ADDRESS },
    });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    return reply.body._id;
  }
  const setStatus = (token: string, id: string, status: string) =>
    platform.call.orders('PUT', `/api/v1/orders/${id}/status`, { token, body: { status } });
  const history = (id: string) =>
    platform
      .orderDb('order_status_history')
      .where({ order_id: id })
      .orderBy('id')
      .select('from_status', 'to_status');

  /** Moves an order along the machine as the admin. */
  async function moved(id: string, ...statuses: string[]): Promise<void> {
    for (const status of statuses)
      expect((await setStatus(platform.adminToken, id, status)).status).to.equal(200);
  }

  it('when another shopper reads, cancels or changes an order, then 404 each time and nothing changes', async () => {
    const [owner, stranger] = await Promise.all([mintedShopper(platform), mintedShopper(platform)]);
    const id = await placed(owner);
    const as = { token: stranger.token };

    const replies = await Promise.all([
      platform.call.orders('GET', `/api/v1/orders/${id}`, as),
      platform.call.orders('DELETE', `/api/v1/orders/${id}`, as),
      platform.call.orders('PATCH', `/api/v1/orders/${id}/cancel`, as),
      setStatus(stranger.token, id, 'paid'),
    ]);

    expect(replies.map((reply) => reply.status)).to.deep.equal([404, 404, 404, 404]);
    const list = await platform.call.orders('GET', '/api/v1/orders', as);
    expect(list.body).to.deep.equal([]);
    expect(list.headers.get('x-total-count')).to.equal('0');
    expect(await history(id)).to.deep.equal([{ from_status: null, to_status: 'pending' }]);
  });

  it('when the admin reads someone’s order or lists by user_id and status, then they see it', async () => {
    const owner = await mintedShopper(platform);
    const [a, b] = [await placed(owner), await placed(owner)];
    await setStatus(owner.token, a, 'paid');

    const one = await platform.call.orders('GET', `/api/v1/orders/${b}`, { token: platform.adminToken });
    const all = await platform.call.orders('GET', `/api/v1/orders?user_id=${owner.id}`, {
      token: platform.adminToken,
    });
    const paid = await platform.call.orders('GET', `/api/v1/orders?user_id=${owner.id}&status=paid`, {
      token: platform.adminToken,
    });

    expect(one.status).to.equal(200);
    expect(one.body.user_id).to.equal(owner.id);
    expect(all.body.map((order: { _id: string }) => order._id)).to.deep.equal([b, a]);
    expect(all.headers.get('x-total-count')).to.equal('2');
    expect(paid.body.map((order: { _id: string }) => order._id)).to.deep.equal([a]);
  });

  it('when a shopper pages through their orders, then newest first with the total in X-Total-Count', async () => {
    const owner = await mintedShopper(platform);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await placed(owner));

    const page = await platform.call.orders('GET', '/api/v1/orders?limit=2&offset=1', { token: owner.token });

    expect(page.status).to.equal(200);
    expect(page.headers.get('x-total-count')).to.equal('5');
    expect(page.body.map((order: { _id: string }) => order._id)).to.deep.equal([ids[3], ids[2]]);
  });

  for (const [path, target] of [
    [['paid', 'shipped', 'delivered'], 'paid'],
    [['cancelled'], 'paid'],
    [['paid', 'shipped'], 'cancelled'],
  ] as const) {
    it(`when an order that is ${path.at(-1)} is asked to become ${target}, then 409 listing the allowed next states`, async () => {
      const owner = await mintedShopper(platform);
      const id = await placed(owner);
      await moved(id, ...path);

      const reply = await setStatus(platform.adminToken, id, target);

      expect(reply.status).to.equal(409);
      const allowed = { delivered: [], cancelled: [], shipped: ['delivered'] }[path.at(-1) as string];
      expect(reply.body).to.deep.include({ current_status: path.at(-1), allowed });
      expect((await history(id)).map((row) => row.to_status)).to.deep.equal(['pending', ...path]);
    });
  }

  it('when a shipped order is cancelled through DELETE or PATCH, then 409 and it stays shipped', async () => {
    const owner = await mintedShopper(platform);
    const id = await placed(owner);
    await moved(id, 'paid', 'shipped');

    const deleted = await platform.call.orders('DELETE', `/api/v1/orders/${id}`, { token: owner.token });
    const patched = await platform.call.orders('PATCH', `/api/v1/orders/${id}/cancel`, {
      token: owner.token,
    });

    expect([deleted.status, patched.status]).to.deep.equal([409, 409]);
    const order = await platform.call.orders('GET', `/api/v1/orders/${id}`, { token: owner.token });
    expect(order.body.status).to.equal('shipped');
  });

  it('when the owner tries to ship their own paid order, then 403 and it stays paid', async () => {
    const owner = await mintedShopper(platform);
    const id = await placed(owner);
    await setStatus(owner.token, id, 'paid');

    const reply = await setStatus(owner.token, id, 'shipped');

    expect(reply.status).to.equal(403);
    expect((await history(id)).map((row) => row.to_status)).to.deep.equal(['pending', 'paid']);
  });

  it('when the admin ships a paid order, then inventory commits the reservation, and delivery follows', async () => {
    const owner = await mintedShopper(platform);
    const [availableBefore, reservedBefore] = await levels(platform, productId);
    const id = await placed(owner, 3);
    await setStatus(owner.token, id, 'paid');

    const shipped = await setStatus(platform.adminToken, id, 'shipped');
    const delivered = await setStatus(platform.adminToken, id, 'delivered');

    expect([shipped.status, delivered.status]).to.deep.equal([200, 200]);
    expect(delivered.body.status).to.equal('delivered');
    expect(await levels(platform, productId)).to.deep.equal([availableBefore - 3, reservedBefore]);
    const lines = await platform.inventoryDb('reservations').where({ order_id: id });
    expect(lines.map((line) => line.state)).to.deep.equal(['committed']);
    const changes = (await outboxEvents(platform.orderDb, 'order.status_changed')).filter(
      (e) => e.subject === id,
    );
    expect(
      changes.map((e) => [(e.data as { from: string }).from, (e.data as { to: string }).to]),
    ).to.deep.equal([
      ['pending', 'paid'],
      ['paid', 'shipped'],
      ['shipped', 'delivered'],
    ]);
  });

  it('when an order is cancelled twice, then both answer and one release, one history row, one order.cancelled', async () => {
    const owner = await mintedShopper(platform);
    const [availableBefore] = await levels(platform, productId);
    const id = await placed(owner, 2);

    const first = await platform.call.orders('DELETE', `/api/v1/orders/${id}`, { token: owner.token });
    const second = await platform.call.orders('PATCH', `/api/v1/orders/${id}/cancel`, { token: owner.token });

    expect(first.status).to.equal(204);
    expect(second.status).to.equal(200);
    expect(second.body.status).to.equal('cancelled');
    expect((await levels(platform, productId))[0]).to.equal(availableBefore);
    expect((await history(id)).map((row) => row.to_status)).to.deep.equal(['pending', 'cancelled']);
    const cancelled = (await outboxEvents(platform.orderDb, 'order.cancelled')).filter(
      (e) => e.subject === id,
    );
    expect(cancelled).to.have.length(1);
    expect(cancelled[0].data).to.deep.include({ _id: id, user_id: owner.id, user_email: owner.email });
  });

  it('when 20 status changes race on one order, then they apply one at a time: the history is one unbroken chain', async () => {
    const owner = await mintedShopper(platform);
    const [availableBefore] = await levels(platform, productId);
    const id = await placed(owner, 5);
    const requests = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? setStatus(owner.token, id, 'paid') : setStatus(owner.token, id, 'cancelled'),
    );

    const replies = await Promise.all(requests);

    // Every answer is a success or an illegal move (paid after cancelled); no lost update.
    expect(replies.every((reply) => reply.status === 200 || reply.status === 409)).to.equal(true);
    const rows = await history(id);
    for (let i = 1; i < rows.length; i++) expect(rows[i].from_status).to.equal(rows[i - 1].to_status);
    const final = await platform.call.orders('GET', `/api/v1/orders/${id}`, { token: owner.token });
    expect(final.body.status).to.equal('cancelled');
    expect(rows.at(-1)?.to_status).to.equal('cancelled');
    const changes = (await outboxEvents(platform.orderDb, 'order.status_changed')).filter(
      (e) => e.subject === id,
    );
    expect(changes).to.have.length(rows.length - 1);
    expect((await levels(platform, productId))[0]).to.equal(availableBefore);
  });
});
