/** A service the gateway forwards to: its name (in errors, metrics, docs) and base URL. */
export interface Upstream {
  name: string;
  url: string;
}

/** Requests whose path is `prefix` or lies below it go to `upstream`, path unchanged. */
export interface Route {
  prefix: string;
  upstream: Upstream;
}

/** The routes in force at one moment; replaced whole when discovery learns something new. */
export interface RouteTable {
  readonly routes: readonly Route[];
  /** The route with the longest prefix that covers `path`, if any. */
  resolve(path: string): Route | undefined;
  /** Every distinct upstream, in route order. */
  upstreams(): Upstream[];
}

/** The static table (DESIGN §6 "gateway"), from the `<SERVICE>_URL` settings. */
export function staticRoutes(urls: {
  user: string;
  product: string;
  inventory: string;
  order: string;
  ai: string;
}): Route[] {
  const user = { name: 'user', url: urls.user };
  return [
    { prefix: '/api/v1/auth', upstream: user },
    { prefix: '/api/v1/users', upstream: user },
    { prefix: '/.well-known', upstream: user },
    { prefix: '/api/v1/products', upstream: { name: 'product', url: urls.product } },
    { prefix: '/api/v1/inventory', upstream: { name: 'inventory', url: urls.inventory } },
    { prefix: '/api/v1/orders', upstream: { name: 'order', url: urls.order } },
    { prefix: '/api/v1/ai', upstream: { name: 'ai', url: urls.ai } },
  ];
}

/** A prefix is an absolute path without a trailing slash, query or dot segment (`/api/v1/reviews`). */
export function isValidPrefix(prefix: string): boolean {
  return /^(\/[A-Za-z0-9._~-]+)+$/.test(prefix) && !hasDotSegment(prefix);
}

/** True when `path` is `prefix` itself or below it: `/api/v1/products/1` but never `/api/v1/productsX`. */
export function coversPath(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * True when a segment of the (still percent-encoded) path is `.` or `..`. Such paths are refused:
 * an upstream or a proxy behind us that normalises them would serve a different route than the
 * one whose auth rules the gateway applied.
 */
export function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

/** Builds a table; throws on a malformed prefix or one prefix routed twice (a configuration bug). */
export function createRouteTable(routes: Route[]): RouteTable {
  const seen = new Set<string>();
  for (const route of routes) {
    if (!isValidPrefix(route.prefix)) throw new TypeError(`invalid route prefix "${route.prefix}"`);
    if (seen.has(route.prefix)) throw new TypeError(`route prefix ${route.prefix} is routed twice`);
    seen.add(route.prefix);
  }
  const byLength = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    routes: [...routes],
    resolve: (path) => byLength.find((route) => coversPath(route.prefix, path)),
    upstreams: () => {
      const byName = new Map<string, Upstream>();
      for (const route of routes)
        if (!byName.has(route.upstream.name)) byName.set(route.upstream.name, route.upstream);
      return [...byName.values()];
    },
  };
}

/** Where the table comes from: fixed at start (static), or kept current by discovery. */
export interface RouteSource {
  table(): RouteTable;
  /** False until a discovering source has listed its routes once. */
  ready(): boolean;
  /** Called with each new table. */
  onChange(listener: (table: RouteTable) => void): void;
  stop(): Promise<void>;
}

/** A source whose table never changes (embedded and connected modes). */
export function staticRouteSource(routes: Route[]): RouteSource {
  const table = createRouteTable(routes);
  return { table: () => table, ready: () => true, onChange: () => undefined, stop: async () => undefined };
}
