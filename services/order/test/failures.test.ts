import { expect } from 'chai';
import {
  countOrders,
  createProduct,
  levels,
  mintedShopper,
  outboxEvents,
  SEED_ADDRESS,
} from './support/fixtures.js';
import {
  orderAppOn,
  startPlatform,
  upstreamsWithDown,
  type ExtraApp,
  type Platform,
} from './support/platform.js';
import { eventually } from '@cartwheel/testing';

describe('placing and changing orders when something fails', function () {
  this.timeout(60_000);
  let platform: Platform;
  const apps: ExtraApp[] = [];

  before(async () => {
    platform = await startPlatform();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  after(() => platform?.stop());

  const withDown = async (down: Array<'user' | 'product' | 'inventory'>) => {
    const app = await orderAppOn(platform, { upstreams: await upstreamsWithDown(platform, down) });
    apps.push(app);
    return app;
  };
  const failingInsert = async () => {
    const app = await orderAppOn(platform, {
      store: (store) => ({
        ...store,
        insertOrder: async () => {
          throw new Error('injected: the process died between reserve and insert');
        },
      }),
    });
    apps.push(app);
    return app;
  };
  const orderOf = (productId: string, quantity = 2) => ({
    items: [{ product_id: productId, quantity }],
    shipping_address: SEED_ADDRESS,
  });
  /** A pending order of 2 units out of 10, placed through the platform's own order service. */
  async function placedThroughThePlatform() {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const placed = await platform.call.orders('POST', '/api/v1/orders', {
      token: buyer.token,
      body: orderOf(productId),
    });
    expect(placed.status).to.equal(201);
    return { productId, buyer, placed };
  }
  const reservationStates = async (productId: string) =>
    (await platform.inventoryDb('reservations').where({ product_id: productId })).map((line) => line.state);

  it('when inserting the order fails after the reservation, then the reservation is released, no order and no event', async () => {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const app = await failingInsert();
    const ordersBefore = await countOrders(platform.orderDb);
    const eventsBefore = (await outboxEvents(platform.orderDb)).length;

    const reply = await app.call('POST', '/api/v1/orders', { token: buyer.token, body: orderOf(productId) });

    expect(reply.status).to.equal(500);
    expect(await reservationStates(productId)).to.deep.equal(['released']);
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
    expect(await countOrders(platform.orderDb)).to.equal(ordersBefore);
    expect(await outboxEvents(platform.orderDb)).to.have.length(eventsBefore);
  });

  it('when the insert fails and the release fails too, then the unconfirmed reservation expires in inventory', async () => {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const upstreams = await upstreamsWithDown(platform, []);
    const app = await orderAppOn(platform, {
      upstreams: {
        stock: {
          ...upstreams.stock,
          release: async () => {
            throw new Error('injected: inventory unreachable for the compensation');
          },
        },
      },
      store: (store) => ({
        ...store,
        insertOrder: async () => {
          throw new Error('injected: the process died between reserve and insert');
        },
      }),
    });
    apps.push(app);

    const reply = await app.call('POST', '/api/v1/orders', { token: buyer.token, body: orderOf(productId) });
    expect(reply.status).to.equal(500);
    expect(await levels(platform, productId)).to.deep.equal([8, 2]);
    // No order.placed ever confirmed it: once its TTL is over, inventory's sweeper gives it back.
    await platform
      .inventoryDb('reservations')
      .where({ product_id: productId })
      .update({ expires_at: new Date(0) });
    await platform.inventory.sweeper.sweepNow();

    expect(await reservationStates(productId)).to.deep.equal(['released']);
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
    upstreams.close();
  });

  it('when inventory is down, then 503 with Retry-After and no order row', async () => {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const app = await withDown(['inventory']);
    const ordersBefore = await countOrders(platform.orderDb);

    const reply = await app.call('POST', '/api/v1/orders', { token: buyer.token, body: orderOf(productId) });

    expect(reply.status).to.equal(503);
    expect(reply.headers.get('retry-after')).to.match(/^\d+$/);
    expect(reply.body.detail).to.contain('inventory');
    expect(await countOrders(platform.orderDb)).to.equal(ordersBefore);
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
  });

  it('when the catalog is down, then 503 with Retry-After and nothing is reserved', async () => {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const app = await withDown(['product']);

    const reply = await app.call('POST', '/api/v1/orders', { token: buyer.token, body: orderOf(productId) });

    expect(reply.status).to.equal(503);
    expect(reply.headers.get('retry-after')).to.match(/^\d+$/);
    expect(reply.body.detail).to.contain('catalog');
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
  });

  it('when the default address is needed and the user service is down, then 503 and nothing is reserved', async () => {
    const productId = await createProduct(platform, { price: 7, quantity: 10 });
    const buyer = await mintedShopper(platform);
    const app = await withDown(['user']);

    const reply = await app.call('POST', '/api/v1/orders', {
      token: buyer.token,
      body: { items: [{ product_id: productId, quantity: 1 }] },
    });

    expect(reply.status).to.equal(503);
    expect(reply.body.detail).to.contain('user');
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
  });

  it('when inventory is down while shipping, then 503 and the order stays paid with its stock reserved', async () => {
    const { productId, buyer, placed } = await placedThroughThePlatform();
    const path = `/api/v1/orders/${placed.body._id}/status`;
    await platform.call.orders('PUT', path, { token: buyer.token, body: { status: 'paid' } });
    const app = await withDown(['inventory']);

    const reply = await app.call('PUT', path, { token: platform.adminToken, body: { status: 'shipped' } });

    expect(reply.status).to.equal(503);
    expect(reply.headers.get('retry-after')).to.match(/^\d+$/);
    const order = await platform.call.orders('GET', `/api/v1/orders/${placed.body._id}`, {
      token: buyer.token,
    });
    expect(order.body.status).to.equal('paid');
    expect(await levels(platform, productId)).to.deep.equal([8, 2]);
  });

  it('when inventory is down while cancelling, then the order is cancelled and order.cancelled releases the stock later', async () => {
    const { productId, buyer, placed } = await placedThroughThePlatform();
    const app = await withDown(['inventory']);

    const reply = await app.call('PATCH', `/api/v1/orders/${placed.body._id}/cancel`, { token: buyer.token });

    expect(reply.status).to.equal(200);
    expect(reply.body.status).to.equal('cancelled');
    // The platform's relay publishes the event this app wrote; the real inventory consumes it.
    await eventually('inventory to release the cancelled order', async () => {
      const [available] = await levels(platform, productId);
      return available === 10;
    });
    expect(await levels(platform, productId)).to.deep.equal([10, 0]);
  });
});
