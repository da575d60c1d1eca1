import { expect } from 'chai';

import { routesFromServices, type DiscoveredService } from '../../src/domain/discovered-routes.js';

const service = (
  name: string,
  annotations: Record<string, string>,
  extra: Partial<DiscoveredService> = {},
) => ({
  name,
  namespace: 'shop',
  annotations,
  clusterIP: '10.96.0.10',
  ports: [
    { name: 'metrics', port: 9090 },
    { name: 'http', port: 8080 },
  ],
  ...extra,
});

describe('routesFromServices', () => {
  it('routes each comma-separated prefix to the ClusterIP and the http port', () => {
    const { routes, problems } = routesFromServices([
      service('reviews', { 'cartwheel.dev/route-prefix': '/api/v1/reviews, /api/v2/reviews/' }),
    ]);
    expect(problems).to.deep.equal([]);
    expect(routes).to.deep.equal([
      { prefix: '/api/v1/reviews', upstream: { name: 'reviews', url: 'http://10.96.0.10:8080' } },
      { prefix: '/api/v2/reviews', upstream: { name: 'reviews', url: 'http://10.96.0.10:8080' } },
    ]);
  });

  it('honours route-port by number or name, and uses the DNS name of a headless Service', () => {
    const { routes } = routesFromServices([
      service('a', { 'cartwheel.dev/route-prefix': '/a', 'cartwheel.dev/route-port': '9090' }),
      service(
        'b',
        { 'cartwheel.dev/route-prefix': '/b', 'cartwheel.dev/route-port': 'metrics' },
        { clusterIP: 'None' },
      ),
    ]);
    expect(routes.map((r) => r.upstream.url)).to.deep.equal([
      'http://10.96.0.10:9090',
      'http://b.shop.svc:9090',
    ]);
  });

  it('skips Services without the annotation', () => {
    expect(routesFromServices([service('plain', {})]).routes).to.deep.equal([]);
  });

  it('reports bad annotations and contested prefixes instead of failing, first Service by name wins', () => {
    const { routes, problems } = routesFromServices([
      service('zeta', { 'cartwheel.dev/route-prefix': '/api/v1/x' }),
      service('alpha', { 'cartwheel.dev/route-prefix': '/api/v1/x, not-a-path' }),
      service('beta', { 'cartwheel.dev/route-prefix': '/b', 'cartwheel.dev/route-port': '1234' }),
    ]);
    expect(routes).to.have.length(1);
    expect(routes[0].upstream.name).to.equal('alpha');
    expect(problems).to.have.members([
      'Service alpha: invalid route prefix "not-a-path"',
      'Service beta: no port to route to (cartwheel.dev/route-port)',
      'Service zeta: prefix /api/v1/x already routed to alpha',
    ]);
  });
});
