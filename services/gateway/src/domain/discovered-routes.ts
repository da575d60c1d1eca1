import { isValidPrefix, type Route } from './route-table.js';

/** Services carrying it are routed: comma-separated prefixes (`/api/v1/reviews,/api/v2/reviews`). */
export const ROUTE_PREFIX_ANNOTATION = 'cartwheel.dev/route-prefix';
/** Optional: the port (number or name) to route to; default the port named `http`, else the first. */
export const ROUTE_PORT_ANNOTATION = 'cartwheel.dev/route-port';
/** Only Services of the platform are considered. */
export const PART_OF_SELECTOR = 'app.kubernetes.io/part-of=cartwheel';

/** The parts of a Kubernetes Service that routing reads. */
export interface DiscoveredService {
  name: string;
  namespace: string;
  annotations: Record<string, string>;
  /** `None` for a headless Service. */
  clusterIP?: string;
  ports: { name?: string; port: number }[];
}

function portOf(service: DiscoveredService): number | undefined {
  const wanted = service.annotations[ROUTE_PORT_ANNOTATION]?.trim();
  if (wanted) {
    return service.ports.find((p) => String(p.port) === wanted || p.name === wanted)?.port;
  }
  return (service.ports.find((p) => p.name === 'http') ?? service.ports[0])?.port;
}

/** Its ClusterIP when it has one (no DNS lookup per connection), else its DNS name. */
function hostOf(service: DiscoveredService): string {
  const ip = service.clusterIP;
  if (ip && ip !== 'None' && /^[\d.]+$/.test(ip)) return ip;
  if (ip && ip.includes(':')) return `[${ip}]`;
  return `${service.name}.${service.namespace}.svc`;
}

/**
 * The route table the annotated Services describe. Invalid annotations and prefixes claimed by
 * two Services are reported, not fatal: the first claim (by Service name) wins, so one bad
 * annotation cannot take another service's routes away.
 */
export function routesFromServices(services: DiscoveredService[]): { routes: Route[]; problems: string[] } {
  const routes: Route[] = [];
  const problems: string[] = [];
  const claimed = new Map<string, string>();
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  for (const service of sorted) {
    const annotation = service.annotations[ROUTE_PREFIX_ANNOTATION];
    if (annotation === undefined) continue;
    const port = portOf(service);
    if (port === undefined) {
      problems.push(`Service ${service.name}: no port to route to (${ROUTE_PORT_ANNOTATION})`);
      continue;
    }
    const upstream = { name: service.name, url: `http://${hostOf(service)}:${port}` };
    for (const prefix of annotation
      .split(',')
      .map((p) => p.trim().replace(/\/+$/, ''))
      .filter(Boolean)) {
      const owner = claimed.get(prefix);
      if (!isValidPrefix(prefix)) problems.push(`Service ${service.name}: invalid route prefix "${prefix}"`);
      else if (owner) problems.push(`Service ${service.name}: prefix ${prefix} already routed to ${owner}`);
      else {
        claimed.set(prefix, service.name);
        routes.push({ prefix, upstream });
      }
    }
  }
  return { routes, problems };
}
