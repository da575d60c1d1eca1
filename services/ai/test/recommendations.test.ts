// GET /api/v1/ai/recommendations: related products in stock (inventory's word), never the product itself.
import { expect } from 'chai';
import { answer, toolUse } from './support/fake-anthropic.js';
import {
  deadUrl,
  HEADPHONES,
  SMARTPHONE,
  startPlatform,
  WATCH,
  type Platform,
  type RunningAi,
} from './support/platform.js';

const SPEAKER = 'Bluetooth Speaker';
/** In stock as far as the catalog knows; inventory says 0. */
const MONITORS = 'Studio Monitor Headphones';
/** Created with no stock. */
const EARBUDS = 'Sport Earbuds';

const recommendations = (productId: string, limit?: number) =>
  `/api/v1/ai/recommendations?product_id=${productId}${limit === undefined ? '' : `&limit=${limit}`}`;
const names = (products: Array<{ name: string }>) => products.map((p) => p.name);
const pick = (productIds: string[], reason: string) =>
  answer(toolUse('recommend', { product_ids: productIds, reason }));

describe('GET /api/v1/ai/recommendations', function () {
  this.timeout(60_000);
  let platform: Platform;
  let ai: RunningAi;
  let keyless: RunningAi;

  before(async () => {
    platform = await startPlatform({
      extraProducts: [
        { name: SPEAKER, description: 'Portable speaker', category: 'Audio', price: 129.99, quantity: 30 },
        {
          name: MONITORS,
          description: 'Studio headphones',
          category: 'Audio',
          price: 199.99,
          quantity: 40,
          stock: 0,
        },
        { name: EARBUDS, description: 'Earbuds for running', category: 'Audio', price: 89.99, quantity: 0 },
      ],
    });
    ai = await platform.startAi();
    keyless = await platform.startAi({ provider: 'none' });
  });
  after(async () => {
    await ai?.stop();
    await keyless?.stop();
    await platform?.stop();
  });
  beforeEach(() => {
    ai.fake.requests.length = 0;
  });

  it('when no model is configured, then the same category comes first, then the nearest price, without the product itself or anything out of stock', async () => {
    const reply = await keyless.ask('GET', recommendations(platform.ids[HEADPHONES]));

    expect(reply.status, reply.text).to.equal(200);
    expect(reply.body.source).to.equal('fallback');
    // Audio in stock: the speaker only (monitors: inventory 0; earbuds: 0 everywhere); then the watch
    // (179.99, within half to one and a half times 249.99); the smartphone is neither.
    expect(names(reply.body.products)).to.deep.equal([SPEAKER, WATCH]);
    expect(reply.body.reason).to.contain('Audio');
    expect(reply.body.products[0]).to.deep.include({
      _id: platform.ids[SPEAKER],
      price: 129.99,
      category: 'Audio',
    });
  });

  it('when the model picks among the candidates, then its order and reason are the answer', async () => {
    ai.fake.script(
      pick([platform.ids[WATCH], platform.ids[SPEAKER]], 'A watch for your runs, a speaker for home.'),
    );

    const reply = await ai.ask('GET', recommendations(platform.ids[HEADPHONES]));

    expect(reply.body.source).to.equal('model');
    expect(names(reply.body.products)).to.deep.equal([WATCH, SPEAKER]);
    expect(reply.body.reason).to.equal('A watch for your runs, a speaker for home.');
    const [request] = ai.fake.requests;
    expect(request.body.tool_choice).to.deep.equal({ type: 'tool', name: 'recommend' });
    const offered = JSON.parse(request.body.messages[0].content);
    expect(offered.candidates.map((c: { id: string }) => c.id)).to.deep.equal([
      platform.ids[SPEAKER],
      platform.ids[WATCH],
    ]);
  });

  const refused: Array<[string, string]> = [
    ['the product itself', HEADPHONES],
    ['a product out of stock', MONITORS],
    ['a product that is not a candidate', SMARTPHONE],
  ];
  for (const [what, name] of refused) {
    it(`when the model recommends ${what}, then the fallback answers and it is not recommended`, async () => {
      ai.fake.script(pick([platform.ids[name], platform.ids[SPEAKER]], 'Because.'));

      const reply = await ai.ask('GET', recommendations(platform.ids[HEADPHONES]));

      expect(reply.body.source).to.equal('fallback');
      expect(names(reply.body.products)).to.deep.equal([SPEAKER, WATCH]);
    });
  }

  it('when the limit is 1, then one product is recommended', async () => {
    const reply = await keyless.ask('GET', recommendations(platform.ids[HEADPHONES], 1));

    expect(names(reply.body.products)).to.deep.equal([SPEAKER]);
  });

  it('when nothing related is in stock, then the list is empty and no model is asked', async () => {
    const reply = await ai.ask('GET', recommendations(platform.ids[SMARTPHONE]));

    expect(reply.body).to.deep.include({ products: [], source: 'fallback' });
    expect(ai.fake.requests).to.have.length(0);
  });

  it('when inventory is unreachable, then the catalog quantity decides what is in stock', async () => {
    const blind = await platform.startAi({ provider: 'none', inventoryUrl: await deadUrl() });
    try {
      const reply = await blind.ask('GET', recommendations(platform.ids[HEADPHONES]));

      expect(reply.status).to.equal(200);
      // The monitors (199.99) are nearer to 249.99 than the speaker; the earbuds have 0 in the catalog too.
      expect(names(reply.body.products)).to.deep.equal([MONITORS, SPEAKER, WATCH]);
    } finally {
      await blind.stop();
    }
  });

  describe('bad input', () => {
    it('when the product does not exist, then responds 404', async () => {
      const reply = await ai.ask('GET', recommendations('0123456789abcdef01234567'));

      expect(reply.status).to.equal(404);
      expect(ai.fake.requests).to.have.length(0);
    });

    const cases: Array<[string, string, string]> = [
      ['product_id is missing', '/api/v1/ai/recommendations', 'query.product_id'],
      ['limit is 0', recommendations('x', 0), 'query.limit'],
      ['limit is above 20', recommendations('x', 21), 'query.limit'],
      ['limit is not a number', '/api/v1/ai/recommendations?product_id=x&limit=five', 'query.limit'],
      ['an unknown parameter is sent', '/api/v1/ai/recommendations?product_id=x&sort=price', 'query'],
    ];
    for (const [situation, path, field] of cases) {
      it(`when ${situation}, then responds 400 naming ${field}`, async () => {
        const reply = await ai.ask('GET', path);

        expect(reply.status).to.equal(400);
        expect(reply.body.errors.map((e: { path: string }) => e.path)).to.include(field);
      });
    }
  });
});
