import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import {
  createEmbeddedBus,
  createEvent,
  createHttpClient,
  createLogger,
  createServiceApp,
  type EventBus,
} from '../../src/index.js';
import { createServiceScope, withServiceScope } from '../../src/telemetry/service-scope.js';
import { deferred } from '../events/helpers.js';
import { startUpstream, json, type Upstream } from '../http-client/upstream-server.js';
import { metricSum, metricValue } from '../support/databases.js';

const logger = createLogger({ level: 'silent' });

describe('kit series on the embedded bus', function () {
  this.timeout(20_000);
  let bus: EventBus;

  beforeEach(() => (bus = createEmbeddedBus()));
  afterEach(() => bus.close());

  it('when events are published, handled, failed and dead-lettered, then each service counts its own side by group, topic and type', async () => {
    const topic = uniqueName('counted');
    const group = uniqueName('g');
    await bus.ensureTopics([topic]);
    const publisher = createServiceScope('publisher');
    const subscriber = createServiceScope('subscriber');
    const [publisherRegistry, subscriberRegistry] = [new Registry(), new Registry()];
    publisher.metrics.registerIn(publisherRegistry);
    subscriber.metrics.registerIn(subscriberRegistry);
    let parked = 0;
    await withServiceScope(subscriber, () =>
      bus.subscribe({
        groupId: group,
        topics: [topic],
        maxRetries: 1,
        retryBackoffMs: 1,
        handler: async (event) => {
          if (event.type === 'thing.bad') throw new Error('cannot handle');
        },
      }),
    );
    await bus.subscribe({
      groupId: uniqueName('dlq-watch'),
      topics: [`${topic}.dlq`],
      handler: async () => void (parked += 1),
    });

    await withServiceScope(publisher, () =>
      bus.publish(topic, [
        createEvent({ source: 't', type: 'thing.ok', subject: 'a', data: {} }),
        createEvent({ source: 't', type: 'thing.ok', subject: 'b', data: {} }),
        createEvent({ source: 't', type: 'thing.bad', subject: 'c', data: {} }),
      ]),
    );
    await eventually('the bad event parked', () => parked === 1);
    await eventually('both good events handled', async () => {
      return (await metricSum(subscriberRegistry, 'events_consumed_total', { type: 'thing.ok' })) === 2;
    });

    const labels = { group, topic };
    expect(
      await metricValue(publisherRegistry, 'events_published_total', { topic, type: 'thing.ok' }),
    ).to.equal(2);
    expect(
      await metricValue(publisherRegistry, 'events_published_total', { topic, type: 'thing.bad' }),
    ).to.equal(1);
    expect(
      await metricValue(subscriberRegistry, 'events_consumed_total', { ...labels, type: 'thing.ok' }),
    ).to.equal(2);
    expect(
      await metricValue(subscriberRegistry, 'events_failed_total', { ...labels, type: 'thing.bad' }),
    ).to.equal(2);
    expect(
      await metricValue(subscriberRegistry, 'events_dead_lettered_total', { ...labels, type: 'thing.bad' }),
    ).to.equal(1);
    // Each side only: the subscriber published nothing, the publisher consumed nothing.
    expect(await metricSum(subscriberRegistry, 'events_published_total', { topic })).to.equal(0);
    expect(await metricSum(publisherRegistry, 'events_consumed_total', { topic })).to.equal(0);
  });

  it('when a consumer holds its first event, then event_consumer_lag shows the waiting events on their partition, and 0 once they are handled', async () => {
    const topic = uniqueName('lagging');
    const group = uniqueName('g');
    await bus.ensureTopics([topic]);
    // An app made in the service's scope (as the platform does) serves the scope's series.
    const scope = createServiceScope('lagger');
    const { registry } = withServiceScope(scope, () => createServiceApp({ service: 'lagger', logger }));
    const gate = deferred();
    await withServiceScope(scope, () =>
      bus.subscribe({ groupId: group, topics: [topic], handler: () => gate.promise }),
    );

    await bus.publish(
      topic,
      [1, 2, 3].map((n) =>
        createEvent({ source: 't', type: 'thing.queued', subject: 'same-key', data: { n } }),
      ),
    );

    const series = async () => (await registry.getSingleMetric('event_consumer_lag')!.get()).values;
    const lagged = (await series()).filter((v) => v.labels.group === group && v.value > 0);
    expect(lagged.map((v) => v.value)).to.deep.equal([3]);
    expect((await series()).filter((v) => v.labels.group === group)).to.have.length(3); // one per partition
    gate.resolve();
    await eventually(
      'lag back to 0',
      async () => (await metricSum(registry, 'event_consumer_lag', { group })) === 0,
    );
  });
});

describe('kit series of the HTTP client', function () {
  this.timeout(20_000);
  let upstream: Upstream;

  before(async () => (upstream = await startUpstream()));
  after(() => upstream.close());

  it('when attempts succeed, fail, time out and meet an open breaker, then http_client_requests_total counts each outcome and http_client_breaker_state shows the breaker open', async () => {
    const scope = createServiceScope('caller');
    const registry = new Registry();
    scope.metrics.registerIn(registry);
    const client = withServiceScope(scope, () =>
      createHttpClient({
        name: 'catalog',
        baseUrl: upstream.url,
        timeoutMs: 200,
        breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
      }),
    );
    const outcome = (name: string) =>
      metricValue(registry, 'http_client_requests_total', { upstream: 'catalog', outcome: name });
    const breaker = () => metricValue(registry, 'http_client_breaker_state', { upstream: 'catalog' });
    try {
      upstream.handle = (_req, res) => json(res, 200, { ok: true });
      await client.get('/ok');
      expect(await breaker()).to.equal(0);

      upstream.handle = (_req, res) => json(res, 500, { broken: true });
      await client.post('/fails', {}).catch(() => undefined);
      upstream.handle = () => undefined; // never answers
      await client.post('/hangs', {}).catch(() => undefined);
      await client.get('/refused').catch(() => undefined);

      expect(await outcome('ok')).to.equal(1);
      expect(await outcome('error')).to.equal(1);
      expect(await outcome('timeout')).to.equal(1);
      expect(await outcome('rejected')).to.equal(1); // refused by the open breaker, and not retried
      expect(await breaker()).to.equal(2);
    } finally {
      client.close();
    }
    expect(await breaker(), 'a closed client leaves the gauge').to.equal(undefined);
  });
});
