// POST /api/v1/ai/suggest: structured output through a forced tool call, validated; fallback parser otherwise.
import { expect } from 'chai';
import { answer, raw, text, textsByPlace, toolUse } from './support/fake-anthropic.js';
import { metricValue } from './support/http.js';
import { HEADPHONES, useAiSuite, WATCH, type Platform, type RunningAi } from './support/platform.js';

const SUGGEST = '/api/v1/ai/suggest';
const names = (products: Array<{ name: string }>) => products.map((p) => p.name);

describe('POST /api/v1/ai/suggest', function () {
  this.timeout(60_000);
  let platform: Platform;
  let ai: RunningAi;

  const suite = useAiSuite({
    extraProducts: [
      {
        name: 'Wired Studio Headphones',
        description: 'Closed-back studio headphones',
        category: 'Audio',
        price: 349,
        quantity: 10,
      },
    ],
  });
  before(() => ({ platform, ai } = suite));

  it('when the model maps "wireless headphones under 300" to filters, then the catalog is searched with them and the seed headphones come back', async () => {
    ai.fake.script(answer(toolUse('set_filters', { q: 'wireless headphones', max_price: 300 })));

    const reply = await ai.ask('POST', SUGGEST, { query: 'wireless headphones under 300' });

    expect(reply.status, reply.text).to.equal(200);
    expect(reply.body.source).to.equal('model');
    expect(reply.body.filters).to.deep.equal({ q: 'wireless headphones', max_price: 300 });
    expect(names(reply.body.products)).to.deep.equal([HEADPHONES]);
    expect(reply.body.products[0]).to.deep.include({
      _id: platform.ids[HEADPHONES],
      price: 249.99,
      category: 'Audio',
    });
    const [request] = ai.fake.requests;
    expect(request.body.tool_choice).to.deep.equal({ type: 'tool', name: 'set_filters' });
    expect(request.body.tools.map((t: { name: string }) => t.name)).to.deep.equal(['set_filters']);
    const places = textsByPlace(request);
    expect(places.user).to.deep.equal(['wireless headphones under 300']);
    expect(places.system).not.to.contain('wireless headphones under 300');
    expect(places.system).to.contain('Categories: Audio, Electronics, Wearables');
  });

  it('when the model names a category the catalog has in another case, then the catalog spelling is used; an unknown one is dropped', async () => {
    ai.fake.script(
      answer(toolUse('set_filters', { category: 'audio', max_price: 300 })),
      answer(toolUse('set_filters', { category: 'Spaceships', q: 'watch' })),
    );

    const audio = await ai.ask('POST', SUGGEST, { query: 'audio gear under 300' });
    const unknown = await ai.ask('POST', SUGGEST, { query: 'spaceship watch' });

    expect(audio.body.filters).to.deep.equal({ category: 'Audio', max_price: 300 });
    expect(names(audio.body.products)).to.deep.equal([HEADPHONES]);
    expect(unknown.body.filters).to.deep.equal({ q: 'watch' });
    expect(names(unknown.body.products)).to.deep.equal([WATCH]);
  });

  const malformed: Array<[string, Parameters<RunningAi['fake']['script']>[0]]> = [
    ['filters of the wrong type', answer(toolUse('set_filters', { max_price: 'cheap', q: 'headphones' }))],
    ['filters with an unknown key', answer(toolUse('set_filters', { q: 'headphones', $where: 'sleep(1)' }))],
    ['a price range upside down', answer(toolUse('set_filters', { min_price: 300, max_price: 100 }))],
    ['text instead of the tool call', answer(text('{"q": "headphones", "max_price": 300'))],
    ['a response body that is not JSON', raw('{"type":"message","content":[{"type":"tool_use"')],
  ];
  for (const [what, scripted] of malformed) {
    it(`when the model answers ${what}, then the fallback answers 200 with parsed filters`, async () => {
      ai.fake.script(scripted);

      const reply = await ai.ask('POST', SUGGEST, { query: 'wireless headphones under 300' });

      expect(reply.status).to.equal(200);
      expect(reply.body.source).to.equal('fallback');
      expect(reply.body.filters).to.deep.equal({ max_price: 300, q: 'wireless headphones' });
      expect(names(reply.body.products)).to.deep.equal([HEADPHONES]);
      expect(ai.fake.requests).to.have.length(1);
    });
  }

  it('when malformed output falls back, then the reason is counted as invalid_output', async () => {
    const before = metricValue(await ai.metrics(), 'ai_fallbacks_total', {
      endpoint: 'suggest',
      reason: 'invalid_output',
    });
    ai.fake.script(answer(toolUse('set_filters', { max_price: -5 })));

    await ai.ask('POST', SUGGEST, { query: 'headphones' });

    const after = metricValue(await ai.metrics(), 'ai_fallbacks_total', {
      endpoint: 'suggest',
      reason: 'invalid_output',
    });
    expect(after).to.equal(before + 1);
  });

  describe('the fallback parser', () => {
    let keyless: RunningAi;
    before(async () => {
      keyless = await platform.startAi({ provider: 'none' });
    });
    after(() => keyless?.stop());

    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['wireless headphones under 300', { max_price: 300, q: 'wireless headphones' }, [HEADPHONES]],
      [
        'headphones between 200 and 400',
        { min_price: 200, max_price: 400, q: 'headphones' },
        [HEADPHONES, 'Wired Studio Headphones'],
      ],
      ['something from wearables below $200', { max_price: 200, category: 'Wearables' }, [WATCH]],
      ['audio over 300', { min_price: 300, category: 'Audio' }, ['Wired Studio Headphones']],
      [
        'studio speakers headphones',
        { q: 'studio speakers headphones' },
        ['Wired Studio Headphones', HEADPHONES],
      ],
    ];
    for (const [query, filters, expected] of cases) {
      it(`when asked "${query}", then the filters are ${JSON.stringify(filters)} and the products ${expected.join(', ')}`, async () => {
        const reply = await keyless.ask('POST', SUGGEST, { query });

        expect(reply.body.source).to.equal('fallback');
        expect(reply.body.filters).to.deep.equal(filters);
        expect(names(reply.body.products)).to.deep.equal(expected);
      });
    }
  });

  describe('bad input', () => {
    const cases: Array<[string, unknown]> = [
      ['the query is missing', {}],
      ['the query is blank', { query: ' ' }],
      ['the query is longer than 500 characters', { query: 'x'.repeat(501) }],
      ['the query is a number', { query: 300 }],
    ];
    for (const [situation, body] of cases) {
      it(`when ${situation}, then responds 400 naming query and asks no model`, async () => {
        const reply = await ai.ask('POST', SUGGEST, body);

        expect(reply.status).to.equal(400);
        expect(reply.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['query']);
        expect(ai.fake.requests).to.have.length(0);
      });
    }
  });
});
