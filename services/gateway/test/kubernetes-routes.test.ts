import { createLogger } from '@cartwheel/kit';
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';

import { kubeConfigFor, startKubernetesRoutes } from '../src/data-access/kubernetes-routes.js';
import type { RouteSource } from '../src/domain/route-table.js';
import { cartwheelService, startFakeKubeApi, type FakeKubeApi } from './support/fake-kube-api.js';
import { jsonOf, metricValue, startGateway, testIssuer, type RunningGateway } from './support/gateway.js';
import { latch } from './support/http.js';
import { json, startUpstream, type FakeUpstream } from './support/upstream.js';

const quiet = createLogger({ service: 'gateway-test', level: 'silent' });

describe('gateway route discovery from Kubernetes', () => {
  let namespace: string;
  let api: FakeKubeApi;
  let reviews: FakeUpstream;
  let ratings: FakeUpstream;
  let routes: RouteSource | undefined;
  let gw: RunningGateway | undefined;
  let token: string;

  before(async () => {
    token = await (await testIssuer()).token({ subject: 'k8s-user', roles: ['user'] });
  });
  beforeEach(async () => {
    namespace = uniqueName('ns').replace('_', '-');
    api = await startFakeKubeApi(namespace);
    reviews = await startUpstream();
    ratings = await startUpstream();
  });
  afterEach(async () => {
    await gw?.close();
    await routes?.stop();
    gw = undefined;
    routes = undefined;
    await Promise.all([api.close(), reviews.close(), ratings.close()]);
  });

  async function startDiscovery(resyncMs = 600_000): Promise<RunningGateway> {
    routes = await startKubernetesRoutes({
      kubeConfig: await kubeConfigFor(api.url),
      namespace,
      resyncMs,
      logger: quiet,
      retryBaseMs: 50,
    });
    gw = await startGateway({ routes });
    return gw;
  }
  const get = (path: string) => fetch(gw!.url + path, { headers: { authorization: `Bearer ${token}` } });
  const statusOf = async (path: string) => {
    const res = await get(path);
    await res.arrayBuffer();
    return res.status;
  };

  it('when annotated Services exist at start, then their prefixes route to them', async () => {
    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews, /api/v2/reviews'));
    api.apply({
      ...cartwheelService('unlabelled', namespace, ratings.port, '/api/v1/ratings'),
      metadata: {
        name: 'unlabelled',
        namespace,
        annotations: { 'cartwheel.dev/route-prefix': '/api/v1/ratings' },
      },
    });
    await startDiscovery();
    expect(routes!.ready()).to.equal(true);
    expect(await statusOf('/api/v1/reviews/1')).to.equal(200);
    expect(await statusOf('/api/v2/reviews')).to.equal(200);
    expect(reviews.requests.map((r) => r.url)).to.deep.equal(['/api/v1/reviews/1', '/api/v2/reviews']);
    expect(await statusOf('/api/v1/ratings'), 'a Service without the part-of label').to.equal(404);
    expect(await statusOf('/api/v1/products'), 'no static routes in this mode').to.equal(404);
    expect(api.calls[0]).to.include({ watch: false, labelSelector: 'app.kubernetes.io/part-of=cartwheel' });
    expect(
      api.calls.some((c) => c.watch && c.labelSelector === 'app.kubernetes.io/part-of=cartwheel'),
    ).to.equal(true);
  });

  it('when a Service is added, changed and removed, then routing follows without a restart', async () => {
    await startDiscovery();
    expect(await statusOf('/api/v1/reviews')).to.equal(404);

    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    await eventually('the added Service is routed', async () => (await statusOf('/api/v1/reviews')) === 200);

    api.apply(
      cartwheelService('reviews', namespace, ratings.port, '/api/v1/reviews', {
        annotations: { 'cartwheel.dev/route-port': 'http' },
      }),
    );
    await eventually('the changed Service is routed to its new port', async () => {
      await statusOf('/api/v1/reviews');
      return ratings.requests.length > 0;
    });

    api.remove('reviews');
    await eventually(
      'the removed Service is no longer routed',
      async () => (await statusOf('/api/v1/reviews')) === 404,
    );
    const res = await get('/api/v1/reviews');
    expect((await jsonOf(res)).detail).to.equal('No route for GET /api/v1/reviews');
    expect(await metricValue(gw!.url, 'gateway_breaker_state', { upstream: 'reviews' })).to.equal(undefined);
  });

  it('when a Service is removed while a request to it is in flight, then that request still completes', async () => {
    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    await startDiscovery();
    const release = latch();
    reviews.handle = async (_req, res) => {
      await release.promise;
      json(res, 200, { late: true });
    };
    const pending = get('/api/v1/reviews/slow');
    await eventually('the upstream has the request', () => reviews.requests.length === 1);
    api.remove('reviews');
    await eventually('the route is gone', async () => (await statusOf('/api/v1/reviews')) === 404);
    release.signal();
    const res = await pending;
    expect(res.status).to.equal(200);
    expect(await jsonOf(res)).to.deep.equal({ late: true });
  });

  it('when the API server ends the watch, then the informer reconnects and later changes still arrive', async () => {
    await startDiscovery();
    await eventually('the watch is open', () => api.openWatches() === 1);
    const watchesBefore = api.calls.filter((c) => c.watch).length;
    api.endWatches();
    await eventually(
      'the watch reconnects',
      () => api.calls.filter((c) => c.watch).length > watchesBefore,
      10_000,
    );
    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    await eventually(
      'the Service added after the reconnect is routed',
      async () => (await statusOf('/api/v1/reviews')) === 200,
    );
  });

  it('when the API server fails, then the last routes stay in force and a relist after it recovers catches up', async () => {
    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    await startDiscovery();
    await eventually('the watch is open', () => api.openWatches() === 1);
    api.failWith = 500;
    api.endWatches(); // the reconnecting watch now gets 500s
    api.removeSilently('reviews');
    api.apply(cartwheelService('ratings', namespace, ratings.port, '/api/v1/ratings'));
    await eventually('the watch failed', () => api.calls.some((c) => c.watch) && api.openWatches() === 0);
    expect(await statusOf('/api/v1/reviews'), 'old table still in force during the outage').to.equal(200);

    api.failWith = undefined;
    await eventually(
      'the relist routes the new Service',
      async () => (await statusOf('/api/v1/ratings')) === 200,
      10_000,
    );
    expect(await statusOf('/api/v1/reviews'), 'the Service removed during the outage').to.equal(404);
  });

  it('when a deletion was missed, then the periodic resync removes its route', async () => {
    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    await startDiscovery(200);
    expect(await statusOf('/api/v1/reviews')).to.equal(200);
    api.removeSilently('reviews'); // no watch event: only a fresh list can tell
    await eventually(
      'the resync drops the route',
      async () => (await statusOf('/api/v1/reviews')) === 404,
      10_000,
    );
  });

  it('when the API server cannot list at start, then the gateway is not ready and answers 503 until it can', async () => {
    api.failWith = 503;
    await startDiscovery();
    expect(routes!.ready()).to.equal(false);
    const ready = await fetch(`${gw!.url}/ready`);
    expect(ready.status).to.equal(503);
    const res = await get('/api/v1/reviews');
    expect(res.status).to.equal(503);
    expect((await jsonOf(res)).detail).to.equal('The gateway has not discovered its routes yet');

    api.apply(cartwheelService('reviews', namespace, reviews.port, '/api/v1/reviews'));
    api.failWith = undefined;
    await eventually('discovery recovers', () => routes!.ready(), 10_000);
    expect(await statusOf('/api/v1/reviews')).to.equal(200);
    expect((await fetch(`${gw!.url}/ready`)).status).to.equal(200);
  });
});
