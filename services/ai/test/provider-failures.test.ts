// Provider errors, timeouts and an open circuit breaker: every endpoint still answers, from the fallback.
import { expect } from 'chai';
import { answer, hang, status, toolUse } from './support/fake-anthropic.js';
import { metricValue } from './support/http.js';
import { HEADPHONES, startPlatform, type Platform, type RunningAi } from './support/platform.js';

describe('when the provider fails', function () {
  this.timeout(60_000);
  let platform: Platform;

  before(async () => {
    platform = await startPlatform();
  });
  after(() => platform?.stop());

  /** Each model-backed endpoint: method, route (given the product ids), body, a product its fallback finds. */
  const endpoints: Array<[string, string, (ids: Record<string, string>) => string, unknown, string]> = [
    ['chat', 'POST', () => '/api/v1/ai/chat', { message: 'wireless headphones under 300' }, HEADPHONES],
    ['suggest', 'POST', () => '/api/v1/ai/suggest', { query: 'wireless headphones under 300' }, HEADPHONES],
    [
      'recommendations',
      'GET',
      (ids) => `/api/v1/ai/recommendations?product_id=${ids[HEADPHONES]}`,
      undefined,
      'Smart Fitness Watch',
    ],
  ];

  describe('with errors and timeouts', () => {
    let ai: RunningAi;
    before(async () => {
      // A budget short enough to wait out in a test; the breaker never opens here.
      ai = await platform.startAi({ timeoutMs: 400, breaker: { volumeThreshold: 1_000 } });
    });
    after(() => ai?.stop());

    for (const [endpoint, method, route, body, found] of endpoints) {
      it(`when the provider answers 500, then ${endpoint} answers 200 from the fallback`, async () => {
        ai.fake.script(status(500));
        const before = metricValue(await ai.metrics(), 'ai_fallbacks_total', {
          endpoint,
          reason: 'provider_error',
        });

        const reply = await ai.ask(method, route(platform.ids), body);

        expect(reply.status, reply.text).to.equal(200);
        expect(reply.body.source).to.equal('fallback');
        expect(reply.body.products.map((p: { name: string }) => p.name)).to.include(found);
        const after = metricValue(await ai.metrics(), 'ai_fallbacks_total', {
          endpoint,
          reason: 'provider_error',
        });
        expect(after).to.equal(before + 1);
      });

      it(`when the provider does not answer in time, then ${endpoint} answers 200 from the fallback`, async () => {
        ai.fake.script(hang);
        const metrics = await ai.metrics();
        const before = metricValue(metrics, 'ai_fallbacks_total', { endpoint, reason: 'timeout' });
        const timedOut = metricValue(metrics, 'ai_provider_duration_seconds_count', { outcome: 'timeout' });

        const reply = await ai.ask(method, route(platform.ids), body);

        expect(reply.status).to.equal(200);
        expect(reply.body.source).to.equal('fallback');
        const after = await ai.metrics();
        expect(metricValue(after, 'ai_fallbacks_total', { endpoint, reason: 'timeout' })).to.equal(
          before + 1,
        );
        expect(metricValue(after, 'ai_provider_duration_seconds_count', { outcome: 'timeout' })).to.equal(
          timedOut + 1,
        );
      });
    }

    it('when a chat turn uses tools and the next one hangs, then the chat answers from the fallback', async () => {
      ai.fake.script(answer(toolUse('search_products', { q: 'headphones' })), hang);

      const reply = await ai.ask('POST', '/api/v1/ai/chat', { message: 'headphones' });

      expect(reply.body.source).to.equal('fallback');
      expect(ai.fake.requests.at(-1)?.body.messages).to.have.length(3);
    });
  });

  describe('again and again', () => {
    let ai: RunningAi;
    before(async () => {
      ai = await platform.startAi({
        breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 600_000 },
      });
      ai.fake.otherwise = status(529);
    });
    after(() => ai?.stop());

    it('when the breaker has opened, then answers fall back without calling the provider and the gauge says open', async () => {
      for (let i = 0; i < 3; i += 1) {
        const reply = await ai.ask('POST', '/api/v1/ai/suggest', { query: 'headphones' });
        expect(reply.body.source).to.equal('fallback');
      }
      const called = ai.fake.requests.length;
      expect(called).to.equal(3);
      expect(metricValue(await ai.metrics(), 'ai_provider_breaker_state')).to.equal(2);

      const reply = await ai.ask('POST', '/api/v1/ai/chat', { message: 'headphones' });

      expect(reply.status).to.equal(200);
      expect(reply.body.source).to.equal('fallback');
      expect(ai.fake.requests).to.have.length(called);
      expect(
        metricValue(await ai.metrics(), 'ai_fallbacks_total', { endpoint: 'chat', reason: 'breaker_open' }),
      ).to.equal(1);
    });
  });
});
