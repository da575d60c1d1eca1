// The ServiceDefinition as `make start` runs it: configuration from the environment, the in-process
// bus, and no ANTHROPIC_API_KEY: every endpoint answers from the fallback and nothing is sent anywhere.
import {
  ConfigError,
  createEmbeddedBus,
  createEvent,
  type CloudEvent,
  type EventBus,
  type RunningService,
} from '@cartwheel/kit';
import { eventually, startJwksServer, type JwksServer } from '@cartwheel/testing';
import { expect } from 'chai';
import { service } from '../src/index.js';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic.js';
import { httpClient, metricValue, type Call } from './support/http.js';
import {
  deadUrl,
  HEADPHONES,
  silent,
  startPlatform,
  tempDir,
  WATCH,
  type Platform,
} from './support/platform.js';

describe('the ai ServiceDefinition', function () {
  this.timeout(60_000);

  it('when settings are malformed, then start fails naming each variable', async () => {
    const { dir, remove } = await tempDir('ai-config-');
    try {
      await service.start(
        {
          mode: 'embedded',
          dataDir: dir,
          bus: undefined as never,
          logger: silent,
          env: { AI_TIMEOUT_MS: 'soon', ANTHROPIC_BASE_URL: 'ftp://example.com', AI_MAX_TOKENS: '0' },
        },
        0,
      );
      expect.fail('expected a configuration error');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['AI_TIMEOUT_MS', 'ANTHROPIC_BASE_URL', 'AI_MAX_TOKENS', 'SERVICE_CLIENT_SECRET']) {
        expect(problems).to.contain(name);
      }
    } finally {
      await remove();
    }
  });

  describe('without an API key, on the in-process bus', () => {
    let platform: Platform;
    let fake: FakeAnthropic;
    let jwks: JwksServer;
    let bus: EventBus;
    let ai: RunningService;
    let call: Call;
    let token: string;
    let removeDir: () => Promise<void>;
    const received: CloudEvent[] = [];

    before(async () => {
      platform = await startPlatform();
      fake = await startFakeAnthropic();
      jwks = await startJwksServer(platform.issuer.jwks.keys);
      bus = createEmbeddedBus({ logger: silent });
      const { dir, remove } = await tempDir('ai-service-');
      removeDir = remove;
      ai = await service.start(
        {
          mode: 'embedded',
          dataDir: dir,
          bus,
          logger: silent,
          env: {
            PRODUCT_URL: platform.productUrl,
            INVENTORY_URL: platform.inventoryUrl,
            // No user service: the stock token cannot be had, so stock falls back to the catalog's.
            USER_URL: await deadUrl(),
            JWT_ISSUER: platform.issuer.issuer,
            JWT_AUDIENCE: platform.issuer.audience,
            JWT_JWKS_URL: jwks.url,
            SERVICE_CLIENT_SECRET: 'ai-test-secret',
            ANTHROPIC_API_KEY: '',
            ANTHROPIC_BASE_URL: fake.url,
            LOG_LEVEL: 'silent',
          },
        },
        0,
      );
      call = httpClient(ai.url);
      token = platform.shopperToken;
      await bus.subscribe({
        groupId: 'notification-watcher',
        topics: ['ai-notifications'],
        handler: async (event) => void received.push(event),
      });
    });
    after(async () => {
      await ai?.stop();
      await bus?.close();
      await jwks?.close();
      await fake?.close();
      await platform?.stop();
      await removeDir?.();
    });

    it('when chat, suggest and recommendations are asked, then all three answer from the fallback and the provider sees no request', async () => {
      const chat = await call('POST', '/api/v1/ai/chat', {
        token,
        body: { message: 'headphones under 300' },
      });
      const suggest = await call('POST', '/api/v1/ai/suggest', {
        token,
        body: { query: 'a watch below 200' },
      });
      const recommended = await call(
        'GET',
        `/api/v1/ai/recommendations?product_id=${platform.ids[HEADPHONES]}`,
        {
          token,
        },
      );

      expect([chat.status, suggest.status, recommended.status]).to.deep.equal([200, 200, 200]);
      expect([chat.body.source, suggest.body.source, recommended.body.source]).to.deep.equal([
        'fallback',
        'fallback',
        'fallback',
      ]);
      expect(chat.body.reply).to.contain(HEADPHONES).and.to.contain('$249.99');
      expect(chat.body.products.map((p: { name: string }) => p.name)).to.deep.equal([HEADPHONES]);
      expect(suggest.body.filters).to.deep.equal({ max_price: 200, q: 'watch' });
      expect(suggest.body.products.map((p: { name: string }) => p.name)).to.deep.equal([WATCH]);
      expect(recommended.body.products.map((p: { name: string }) => p.name)).to.deep.equal([WATCH]);
      expect(fake.requests).to.have.length(0);
    });

    it('when an order is placed, then the template follow-up is published and the provider sees no request', async () => {
      const orderId = 'order-embedded-1';
      await bus.publish('orders', [
        createEvent({
          source: '/services/order',
          type: 'order.placed',
          subject: orderId,
          data: {
            _id: orderId,
            user_id: '7',
            user_email: 'camper@example.com',
            items: [{ product_id: platform.ids[WATCH], name: WATCH, quantity: 1, price: 179.99 }],
            total_price: 179.99,
            currency: 'USD',
          },
        }),
      ]);

      await eventually('the follow-up', () => received.some((e) => e.subject === orderId));

      const [event] = received.filter((e) => e.subject === orderId);
      expect(event.id).to.equal(`ai-notification-${orderId}`);
      expect(event.data).to.deep.include({
        to: 'camper@example.com',
        subject: 'Thank you for your Cartwheel order',
      });
      expect(fake.requests).to.have.length(0);
    });

    it('when asked for readiness, metrics and the API document, then they describe the fallback service', async () => {
      const ready = await call('GET', '/ready');
      const metrics = (await call('GET', '/metrics')).text;
      const openapi = await call('GET', '/openapi.json');

      expect(ready.status).to.equal(200);
      expect(ready.body.checks).to.deep.equal({ 'event bus': 'ok' });
      expect(
        metricValue(metrics, 'ai_fallbacks_total', { endpoint: 'chat', reason: 'no_key' }),
      ).to.be.at.least(1);
      expect(
        metricValue(metrics, 'ai_requests_total', { endpoint: 'suggest', source: 'fallback' }),
      ).to.be.at.least(1);
      expect(metricValue(metrics, 'ai_provider_breaker_state')).to.equal(0);
      expect(Object.keys(openapi.body.paths)).to.include.members([
        '/api/v1/ai/chat',
        '/api/v1/ai/recommendations',
        '/api/v1/ai/suggest',
      ]);
    });
  });
});
