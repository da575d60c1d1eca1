import { Registry, type Metric, type OpenMetricsContentType } from 'prom-client';

const OPENMETRICS = /application\/openmetrics-text/i;

/** What a registered metric really is at run time (prom-client's typings say less). */
interface RegisteredMetric {
  name: string;
  help: string;
  type: string;
  get(): Promise<{ name: string }>;
  /** What prom-client itself renders text from, where a metric has it (histograms). */
  getForPromString?(): Promise<{ name: string }>;
}

/**
 * The registry in the format the scraper asked for: OpenMetrics (which carries the latency
 * histogram's trace exemplars) when `Accept` names it, as Prometheus does by default, else the
 * Prometheus text format.
 *
 * prom-client renders OpenMetrics only for a registry made for it, and its own renaming of
 * counters for it mutates the metric (a later Prometheus-format scrape would lose `_total`), so
 * each metric is rendered through a read-only view named as OpenMetrics wants (no `_total`).
 */
export async function exposition(
  registry: Registry,
  accept: string,
  defaultLabels: Record<string, string>,
): Promise<{ contentType: string; body: string }> {
  if (!OPENMETRICS.test(accept)) return { contentType: registry.contentType, body: await registry.metrics() };
  const open = new Registry<OpenMetricsContentType>();
  open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  open.setDefaultLabels(defaultLabels);
  for (const metric of registry.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    const family = metric.type === 'counter' ? metric.name.replace(/_total$/, '') : metric.name;
    const view = {
      name: family,
      help: metric.help,
      type: metric.type,
      get: async () => ({ ...(await (metric.getForPromString ?? metric.get).call(metric)), name: family }),
    };
    open.registerMetric(view as unknown as Metric);
  }
  return { contentType: open.contentType, body: await open.metrics() };
}
