/** Every page of the app, by URL (the gateway answers each of these paths with index.html). */
export type Route =
  | { page: 'catalog' }
  | { page: 'product'; id: string }
  | { page: 'cart' }
  | { page: 'checkout' }
  | { page: 'orders' }
  | { page: 'order'; id: string }
  | { page: 'signin' }
  | { page: 'register' }
  | { page: 'admin-products' }
  | { page: 'admin-product-new' }
  | { page: 'admin-product'; id: string }
  | { page: 'admin-inventory' }
  | { page: 'admin-orders' }
  | { page: 'not-found' };

const segment = (value: string) => encodeURIComponent(value);

/** Links to pages, so no component builds a URL by hand. */
export const paths = {
  catalog: '/',
  product: (id: string) => `/products/${segment(id)}`,
  cart: '/cart',
  checkout: '/checkout',
  orders: '/orders',
  order: (id: string) => `/orders/${segment(id)}`,
  signin: (next?: string) => (next && next !== '/' ? `/signin?next=${encodeURIComponent(next)}` : '/signin'),
  register: '/register',
  adminProducts: '/admin/products',
  adminProductNew: '/admin/products/new',
  adminProduct: (id: string) => `/admin/products/${segment(id)}`,
  adminInventory: '/admin/inventory',
  adminOrders: '/admin/orders',
};

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The page a pathname shows; a trailing slash is ignored. */
export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const [first, second, third, ...rest] = parts;
  if (parts.length === 0) return { page: 'catalog' };
  if (parts.length === 1) {
    const single: Record<string, Route> = {
      cart: { page: 'cart' },
      checkout: { page: 'checkout' },
      orders: { page: 'orders' },
      signin: { page: 'signin' },
      register: { page: 'register' },
      admin: { page: 'admin-products' },
    };
    return single[first] ?? { page: 'not-found' };
  }
  if (parts.length === 2 && (first === 'products' || first === 'orders')) {
    const id = decode(second);
    if (id === undefined) return { page: 'not-found' };
    return first === 'products' ? { page: 'product', id } : { page: 'order', id };
  }
  if (first === 'admin' && rest.length === 0) {
    if (third === undefined) {
      if (second === 'products') return { page: 'admin-products' };
      if (second === 'inventory') return { page: 'admin-inventory' };
      if (second === 'orders') return { page: 'admin-orders' };
    } else if (second === 'products') {
      if (third === 'new') return { page: 'admin-product-new' };
      const id = decode(third);
      if (id !== undefined) return { page: 'admin-product', id };
    }
  }
  return { page: 'not-found' };
}

/**
 * Where to go after signing in: `next` when it is a path of this app, never another origin
 * (`//evil.example`, `https:…`), so the parameter cannot be used to send people elsewhere.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

/** The 1-based `page` of a list's query string; anything else is page 1. */
export function pageParam(search: string): number {
  const page = Number(new URLSearchParams(search).get('page'));
  return Number.isInteger(page) && page > 0 ? page : 1;
}
