import { expect } from 'chai';

import { coversPath, createRouteTable, hasDotSegment, staticRoutes } from '../../src/domain/route-table.js';

const upstream = (name: string) => ({ name, url: `http://${name}:80` });

describe('createRouteTable', () => {
  const table = createRouteTable([
    { prefix: '/api/v1/products', upstream: upstream('product') },
    { prefix: '/api/v1/products/reviews', upstream: upstream('reviews') },
    { prefix: '/api/v1/users', upstream: upstream('user') },
  ]);

  it('picks the longest prefix that covers the path', () => {
    expect(table.resolve('/api/v1/products/reviews/1')?.upstream.name).to.equal('reviews');
    expect(table.resolve('/api/v1/products/1')?.upstream.name).to.equal('product');
    expect(table.resolve('/api/v1/products')?.upstream.name).to.equal('product');
  });

  it('matches whole segments only', () => {
    expect(table.resolve('/api/v1/productsX')).to.equal(undefined);
    expect(table.resolve('/api/v1')).to.equal(undefined);
  });

  it('lists each upstream once', () => {
    const shared = createRouteTable(
      staticRoutes({ user: 'u', product: 'p', inventory: 'i', order: 'o', ai: 'a' }),
    );
    expect(shared.upstreams().map((u) => u.name)).to.deep.equal([
      'user',
      'product',
      'inventory',
      'order',
      'ai',
    ]);
  });

  it('refuses a prefix routed twice or a malformed one', () => {
    expect(() =>
      createRouteTable([
        { prefix: '/a', upstream: upstream('x') },
        { prefix: '/a', upstream: upstream('y') },
      ]),
    ).to.throw('routed twice');
    for (const prefix of ['api', '/api/', '/api/../x', '/api?x=1', '']) {
      expect(() => createRouteTable([{ prefix, upstream: upstream('x') }]), prefix).to.throw(
        'invalid route prefix',
      );
    }
  });
});

describe('coversPath', () => {
  it('is true for the prefix itself and paths below it', () => {
    expect(coversPath('/api', '/api')).to.equal(true);
    expect(coversPath('/api', '/api/x')).to.equal(true);
    expect(coversPath('/api', '/apix')).to.equal(false);
  });
});

describe('hasDotSegment', () => {
  it('finds plain and percent-encoded dot segments', () => {
    for (const path of ['/a/../b', '/a/./b', '/a/%2e%2e/b', '/a/.%2E/b', '/a/%2e', '/..']) {
      expect(hasDotSegment(path), path).to.equal(true);
    }
  });

  it('lets dots inside names through', () => {
    for (const path of ['/a/b.json', '/.well-known/jwks.json', '/a/...', '/a/..b']) {
      expect(hasDotSegment(path), path).to.equal(false);
    }
  });
});
