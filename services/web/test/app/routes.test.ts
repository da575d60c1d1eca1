import { expect } from 'chai';

import { filtersToSearch, PAGE_SIZE, parseFilters, productListQuery } from '../../app/lib/catalog-filters.js';
import { canCancel, nextStatuses } from '../../app/lib/order-status.js';
import { matchRoute, paths, safeNext } from '../../app/lib/routes.js';

describe('matchRoute', () => {
  it('maps every page path, with or without a trailing slash', () => {
    expect(matchRoute('/')).to.deep.equal({ page: 'catalog' });
    expect(matchRoute('/cart/')).to.deep.equal({ page: 'cart' });
    expect(matchRoute('/products/64d0')).to.deep.equal({ page: 'product', id: '64d0' });
    expect(matchRoute('/orders/a%20b')).to.deep.equal({ page: 'order', id: 'a b' });
    expect(matchRoute('/admin')).to.deep.equal({ page: 'admin-products' });
    expect(matchRoute('/admin/products/new')).to.deep.equal({ page: 'admin-product-new' });
    expect(matchRoute('/admin/products/x1')).to.deep.equal({ page: 'admin-product', id: 'x1' });
    expect(matchRoute('/admin/inventory')).to.deep.equal({ page: 'admin-inventory' });
    expect(matchRoute('/admin/orders')).to.deep.equal({ page: 'admin-orders' });
  });

  it('when the path is unknown or its id cannot be decoded, then it is the not-found page', () => {
    for (const path of [
      '/nope',
      '/products/%E0%A4%A',
      '/orders/1/2',
      '/admin/products/1/x',
      '/admin/users',
    ]) {
      expect(matchRoute(path), path).to.deep.equal({ page: 'not-found' });
    }
  });

  it('builds links that round-trip through matchRoute', () => {
    expect(matchRoute(paths.order('a/b'))).to.deep.equal({ page: 'order', id: 'a/b' });
    expect(paths.signin('/checkout')).to.equal('/signin?next=%2Fcheckout');
    expect(paths.signin('/')).to.equal('/signin');
  });
});

describe('safeNext', () => {
  it('when next points to another origin or is not a path, then it goes home instead', () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(safeNext(next), String(next)).to.equal('/');
    }
    expect(safeNext('/orders?page=2')).to.equal('/orders?page=2');
  });
});

describe('catalog filters', () => {
  it('round-trip through the URL, leaving defaults out', () => {
    const filters = parseFilters(
      '?q=tent&category=Outdoors&min_price=100&max_price=400&in_stock=true&sort=-price&page=2',
    );
    expect(filters).to.deep.equal({
      q: 'tent',
      category: 'Outdoors',
      min_price: '100',
      max_price: '400',
      in_stock: true,
      sort: '-price',
      page: 2,
    });
    expect(parseFilters(filtersToSearch(filters))).to.deep.equal(filters);
    expect(filtersToSearch(parseFilters(''))).to.equal('');
  });

  it('when the URL holds nonsense, then the defaults apply', () => {
    expect(parseFilters('?sort=$where&page=-3&in_stock=yes')).to.include({
      sort: 'name',
      page: 1,
      in_stock: false,
    });
  });

  it('asks the catalog only for the filters that are set (it refuses empty parameters), paged', () => {
    const query = new URLSearchParams(productListQuery({ ...parseFilters('?q=lamp'), page: 3 }));
    expect(Object.fromEntries(query)).to.deep.equal({
      q: 'lamp',
      sort: 'name',
      limit: String(PAGE_SIZE),
      offset: String(2 * PAGE_SIZE),
    });
  });
});

describe('order status moves', () => {
  it('follow the order service machine; only pending and paid orders can be cancelled', () => {
    expect(nextStatuses('pending')).to.deep.equal(['paid', 'cancelled']);
    expect(nextStatuses('paid')).to.deep.equal(['shipped', 'cancelled']);
    expect(nextStatuses('shipped')).to.deep.equal(['delivered']);
    expect(nextStatuses('delivered')).to.deep.equal([]);
    expect(
      ['pending', 'paid', 'shipped', 'delivered', 'cancelled'].map((s) => canCancel(s as never)),
    ).to.deep.equal([true, true, false, false, false]);
  });
});
