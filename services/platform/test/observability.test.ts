import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import {
  createDatabase as openDatabase,
  createEvent,
  createLogger,
  startPlatform,
  type RunningPlatform,
} from '@cartwheel/kit';
import { startTelemetry, type Telemetry } from '@cartwheel/kit/telemetry';
import { createDatabase, eventually, freePort } from '@cartwheel/testing';
import { services } from '../src/services.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DASHBOARDS = path.join(ROOT, 'charts/cartwheel/dashboards');
const RULES = path.join(ROOT, 'charts/cartwheel/rules');
const SERVICES = ['gateway', 'user', 'product', 'inventory', 'order', 'notification', 'ai'];

/** Series that only a Kubernetes cluster has (kube-state-metrics, Strimzi's Kafka Exporter): checked for parsing only. */
const NEEDS_THE_CLUSTER = [
  'kube_pod_container_status_restarts_total',
  'kafka_consumergroup_lag',
  'kafka_topic_partition_current_offset',
  'kafka_topic_partition_under_replicated_partition',
];

const POISON = 'malformed events on orders and inventory: parked in the DLQ at once';
const REDELIVERED = 'a user.created delivered twice, and one without a valid address';
/**
 * Dashboard queries that return data only after a failure, with the failure this test injects
 * for each (every alert expression is failure-only too, and is injected for below).
 */
const FIRES_ONLY_ON_FAILURE: Record<string, string> = {
  'cartwheel-events › Failed handler attempts / min by group, topic and type › A': POISON,
  'cartwheel-events › Dead-lettered in the last hour › A': POISON,
  'cartwheel-events › Relay publish failures / min › A': 'an outbox row for a topic the bus lacks',
  'cartwheel-overview › Cartwheel alerts pending or firing › A':
    'any of the failures (an alert is pending or firing)',
  'cartwheel-notification › Failed attempts / min by type › A': POISON,
  'cartwheel-notification › Parked in the DLQ (last hour) by type › A': POISON,
  'cartwheel-notification › Not sent: redeliveries and events with nobody to write to / min › A': REDELIVERED,
  'cartwheel-notification › Not sent: redeliveries and events with nobody to write to / min › B': REDELIVERED,
  ...Object.fromEntries(
    ['ai', 'inventory', 'notification', 'product'].flatMap((service) =>
      ['A', 'B'].map((refId) => [
        `cartwheel-${service} › Failed handler attempts and dead-lettered events / min › ${refId}`,
        POISON,
      ]),
    ),
  ),
};

// ---- reading the dashboards and rules -------------------------------------------------------

interface Target {
  refId: string;
  expr?: string;
  exemplar?: boolean;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  tags: string[];
  links: { title: string; url?: string }[];
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: Panel[];
}
interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Expression {
  where: string;
  expr: string;
}

const readDashboards = (): Dashboard[] =>
  readdirSync(DASHBOARDS)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard);
const ruleFiles = () => readdirSync(RULES).filter((file) => file.endsWith('.yaml'));
const readRules = (): (Rule & { file: string })[] =>
  ruleFiles().flatMap((file) =>
    (
      parseYaml(readFileSync(path.join(RULES, file), 'utf8')) as { groups: { rules: Rule[] }[] }
    ).groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, file }))),
  );
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const isPrometheus = (ds?: { uid: string }) => ds?.uid === '${datasource}';

function dashboardExpressions(): Expression[] {
  return readDashboards().flatMap((d) => [
    ...allPanels(d.panels).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((t) => isPrometheus(t.datasource ?? panel.datasource) && t.expr)
        .map((t) => ({ where: `${d.uid} › ${panel.title} › ${t.refId}`, expr: t.expr! })),
    ),
    // label_values(metric, label) is Grafana's, not PromQL: the metric must have series.
    ...d.templating.list
      .filter((v) => v.type === 'query')
      .map((v) => {
        const metric = /label_values\((\w+),/.exec(JSON.stringify(v.query))?.[1];
        return { where: `${d.uid} › variable ${v.name}`, expr: `count(${metric})` };
      }),
  ]);
}

const ruleExpressions = (): Expression[] =>
  readRules().map((rule) => ({ where: `${rule.file} › ${rule.alert ?? rule.record}`, expr: rule.expr }));

/** Grafana's variables replaced by what they become on a 1 s scrape interval. */
function substitute(expr: string): string {
  const replaced = expr.replace(/\$\{?__rate_interval\}?/g, '1m').replace(/\$\{?service\}?/g, 'order');
  if (replaced.includes('$')) throw new Error(`unknown Grafana variable in ${expr}`);
  return replaced;
}
const needsCluster = (expr: string) => NEEDS_THE_CLUSTER.some((metric) => expr.includes(metric));

// ---- promtool ---------------------------------------------------------------------------------

const run = promisify(execFile);
function binary(name: 'PROMETHEUS' | 'PROMTOOL', fallback: string): string {
  const fromEnv = process.env[`CARTWHEEL_${name}_BIN`];
  if (fromEnv) return fromEnv;
  const file = path.join(
    process.env.CARTWHEEL_CACHE ?? path.join(os.homedir(), '.cache', 'cartwheel'),
    'servers.env',
  );
  const line = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`CARTWHEEL_${name}_BIN=`))
    : undefined;
  return line ? line.slice(line.indexOf('=') + 1) : fallback;
}
const promtool = (args: string[]) =>
  run(binary('PROMTOOL', '/usr/bin/promtool'), args, { cwd: RULES }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );

describe('observability files: dashboards and alert rules', () => {
  it('when the dashboards are read, then each is Grafana JSON (schema ≥ 39) on the ${datasource} variable, with log and trace links', () => {
    const dashboards = readDashboards();
    expect(dashboards.map((d) => d.uid)).to.include.members([
      'cartwheel-overview',
      'cartwheel-events',
      'cartwheel-stock',
      ...SERVICES.map((s) => `cartwheel-${s}`),
    ]);
    expect(new Set(dashboards.map((d) => d.uid)).size).to.equal(dashboards.length);
    for (const d of dashboards) {
      expect(d.schemaVersion, d.uid).to.be.at.least(39);
      expect(d.uid.length, d.uid).to.be.at.most(40);
      expect(d.tags, d.uid).to.include('cartwheel');
      const variables = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
      expect(variables.datasource, d.uid).to.include({ type: 'datasource', query: 'prometheus' });
      expect(variables.loki, d.uid).to.include({ type: 'datasource', query: 'loki' });
      expect(variables.tempo, d.uid).to.include({ type: 'datasource', query: 'tempo' });
      expect(d.links.map((l) => l.title)).to.include.members(['Logs (Loki)', 'Traces (Tempo)']);
      const panels = allPanels(d.panels);
      expect(new Set(panels.map((p) => p.id)).size, `${d.uid} panel ids`).to.equal(panels.length);
      for (const panel of panels) {
        expect(panel.gridPos.x + panel.gridPos.w, `${d.uid} › ${panel.title}`).to.be.at.most(24);
        for (const t of panel.targets ?? []) {
          const uid = (t.datasource ?? panel.datasource)?.uid;
          expect(['${datasource}', '${loki}', '${tempo}'], `${d.uid} › ${panel.title}`).to.include(uid);
          const latency =
            t.expr?.includes('histogram_quantile') && t.expr.includes('http_request_duration_seconds');
          if (latency && panel.type === 'timeseries') {
            expect(t.exemplar, `exemplars (trace links) on ${d.uid} › ${panel.title}`).to.equal(true);
          }
        }
      }
    }
    for (const service of SERVICES) {
      const d = dashboards.find((x) => x.uid === `cartwheel-${service}`)!;
      const logs = allPanels(d.panels).find((p) => p.type === 'logs');
      expect(logs?.targets?.[0].expr, `${service} logs panel`).to.equal(
        `{service="${service}"} |= "$trace_id"`,
      );
      expect(
        allPanels(d.panels).some((p) => p.datasource?.uid === '${tempo}'),
        `${service} traces panel`,
      ).to.equal(true);
    }
  });

  it('when the alert rules are read, then each alert has a severity, summary, description, runbook and an existing dashboard', () => {
    const uids = new Set(readDashboards().map((d) => d.uid));
    const alerts = readRules().filter((r) => r.alert);
    expect(alerts.length).to.be.at.least(10);
    for (const alert of alerts) {
      expect(['critical', 'warning', 'info'], alert.alert).to.include(alert.labels?.severity);
      expect(alert.annotations, alert.alert).to.have.all.keys(
        'summary',
        'description',
        'runbook',
        'dashboard',
      );
      const dashboard = alert.annotations!.dashboard.replace('/d/', '');
      const targets = dashboard.includes('{{')
        ? SERVICES.map((s) => dashboard.replace(/\{\{.*\}\}/, s))
        : [dashboard];
      for (const uid of targets) expect(uids.has(uid), `${alert.alert} links ${uid}`).to.equal(true);
    }
  });

  it('when promtool checks every rule file, then each passes', async () => {
    const { code, output } = await promtool(['check', 'rules', ...ruleFiles()]);
    expect(code, output).to.equal(0);
    expect(output.match(/SUCCESS/g)?.length, output).to.equal(ruleFiles().length);
  });

  it('when promtool runs the rule unit tests, then they pass and every alert has one test that fires it and one that does not', async () => {
    const tests = readdirSync(path.join(RULES, 'tests')).filter((f) => f.endsWith('.yaml'));
    const { code, output } = await promtool(['test', 'rules', ...tests.map((f) => path.join('tests', f))]);
    expect(code, output).to.equal(0);
    const cases = tests.flatMap((file) => {
      const doc = parseYaml(readFileSync(path.join(RULES, 'tests', file), 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      };
      return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
    });
    for (const alert of readRules().filter((r) => r.alert)) {
      const mine = cases.filter((c) => c.alertname === alert.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert.alert} fires in a test`,
      ).to.equal(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert.alert} stays quiet in a test`,
      ).to.equal(true);
    }
  });
});

// ---- the platform, a fake model provider and a real Prometheus ------------------------------

/** Answers the Messages API with text after `delayMs` (structured-output calls therefore fall back). */
function fakeModel(): Promise<{ url: string; delayMs: number; server: Server }> {
  const fake = { url: '', delayMs: 0, server: undefined as unknown as Server };
  fake.server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_observability',
            type: 'message',
            role: 'assistant',
            model: 'claude-test',
            content: [{ type: 'text', text: 'The Wireless Headphones are a good choice.' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 120, output_tokens: 30 },
          }),
        );
      }, fake.delayMs);
    });
  });
  return new Promise((resolve) =>
    fake.server.listen(0, '127.0.0.1', () => {
      fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
      resolve(fake);
    }),
  );
}

interface Prometheus {
  url: string;
  /** Evaluates `expr` now: the number of series, or the error Prometheus gave. */
  query(expr: string): Promise<{ series: number; error?: string }>;
  stop(): Promise<void>;
}

async function startPrometheus(dir: string, targets: { name: string; url: string }[]): Promise<Prometheus> {
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [path.join(RULES, '*.yaml')],
    scrape_configs: [
      {
        // As the ServiceMonitors do: the app's own `service` label wins (honor_labels) and the
        // target carries the same `service` (for `up`) and a namespace.
        job_name: 'cartwheel',
        honor_labels: true,
        static_configs: targets.map((t) => ({
          targets: [new URL(t.url).host],
          labels: { service: t.name, namespace: 'cartwheel' },
        })),
      },
    ],
  };
  writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child: ChildProcess = spawn(
    binary('PROMETHEUS', '/usr/bin/prometheus'),
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      '--enable-feature=exemplar-storage',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    `Prometheus to be ready (${log})`,
    () =>
      fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => child.exitCode !== null && Promise.reject(new Error(log)),
      ),
    30_000,
  );
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query: expr }),
      });
      const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown } };
      if (body.status !== 'success') return { series: 0, error: body.error ?? response.statusText };
      return { series: Array.isArray(body.data!.result) ? body.data!.result.length : 1 };
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('observability: every dashboard and alert expression against a real Prometheus scraping the platform', function () {
  this.timeout(240_000);
  let platform: RunningPlatform;
  let prometheus: Prometheus;
  let model: Awaited<ReturnType<typeof fakeModel>>;
  let dir: string;
  let orderDatabaseUrl: string;
  let telemetry: Telemetry | undefined;
  const spans = new InMemorySpanExporter();
  const url = (name: string) => platform.services.find((s) => s.name === name)!.url;
  const shopper = { email: 'observer@example.com', password: 'Password123', token: '' };
  const productIds: string[] = [];

  const call = async (
    base: string,
    method: string,
    route: string,
    options: { token?: string; json?: unknown; form?: string } = {},
  ) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json ? { 'content-type': 'application/json' } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: options.json ? JSON.stringify(options.json) : options.form,
    });
    return { status: response.status, body: (await response.text()) as string };
  };
  const gateway = (method: string, route: string, options?: Parameters<typeof call>[3]) =>
    call(url('gateway'), method, route, options);
  const login = async (email: string, password: string) => {
    const { status, body } = await gateway('POST', '/api/v1/auth/login', {
      form: `username=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`,
    });
    return status === 200 ? (JSON.parse(body) as { access_token: string }).access_token : '';
  };
  const placeOrder = (items: { product_id: string; quantity: number }[]) =>
    gateway('POST', '/api/v1/orders/', {
      token: shopper.token,
      json: {
        items,
        shipping_address: { line1: '1 Metric Way', city: 'Scrape', postal_code: '12345', country: 'EX' },
      },
    });

  /** Register, sign in (once wrongly), create products, order, refuse, cancel, pay, ask the assistant, hit a rate limit. */
  async function workload() {
    const registered = await gateway('POST', '/api/v1/auth/register', {
      json: { email: shopper.email, password: shopper.password, first_name: 'Olly', last_name: 'Observer' },
    });
    expect(registered.status, registered.body).to.equal(201);
    expect(await login(shopper.email, 'wrong-password')).to.equal('');
    shopper.token = await login(shopper.email, shopper.password);
    const admin = await login('admin@example.com', 'AdminPass123');
    for (const [name, price, quantity] of [
      ['Wireless Headphones', 249.99, 100],
      ['Smart Speaker', 179.99, 30],
      ['Desk Lamp', 39.5, 10],
    ] as const) {
      const created = await gateway('POST', '/api/v1/products/', {
        token: admin,
        json: { name, description: `${name} for the observability test`, category: 'Audio', price, quantity },
      });
      expect(created.status, created.body).to.equal(201);
      productIds.push((JSON.parse(created.body) as { _id: string })._id);
    }
    expect((await gateway('GET', '/api/v1/products/?q=wireless')).status).to.equal(200);
    let first = { status: 0, body: '' };
    await eventually('inventory to stock the new products', async () => {
      first = await placeOrder([
        { product_id: productIds[0], quantity: 1 },
        { product_id: productIds[1], quantity: 2 },
      ]);
      return first.status === 201;
    });
    expect((await placeOrder([{ product_id: productIds[1], quantity: 1000 }])).status).to.equal(409);
    const firstId = (JSON.parse(first.body) as { _id: string })._id;
    expect((await gateway('DELETE', `/api/v1/orders/${firstId}`, { token: shopper.token })).status).to.equal(
      204,
    );
    const second = await placeOrder([{ product_id: productIds[0], quantity: 2 }]);
    expect(second.status, second.body).to.equal(201);
    const secondId = (JSON.parse(second.body) as { _id: string })._id;
    const paid = await gateway('PUT', `/api/v1/orders/${secondId}/status`, {
      token: shopper.token,
      json: { status: 'paid' },
    });
    expect(paid.status, paid.body).to.equal(200);
    const asked = [
      await gateway('POST', '/api/v1/ai/chat', {
        token: shopper.token,
        json: { message: 'Which headphones do you have?' },
      }),
      await gateway('GET', `/api/v1/ai/recommendations?product_id=${productIds[0]}`, {
        token: shopper.token,
      }),
      await gateway('POST', '/api/v1/ai/suggest', {
        token: shopper.token,
        json: { query: 'cheap speakers' },
      }),
    ];
    expect(asked.map((a) => a.status)).to.deep.equal([200, 200, 200]);
    // RATE_LIMIT_AI_PER_MINUTE=4: the fifth call in the minute is refused.
    const burst = [];
    for (let i = 0; i < 2; i++)
      burst.push((await gateway('GET', '/api/v1/ai/recommendations', { token: shopper.token })).status);
    expect(burst).to.include(429);
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-observability-'));
    // Traced requests leave their trace ids as exemplars on the latency histogram.
    telemetry = startTelemetry({
      serviceName: 'observability-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
      instrument: false,
    });
    model = await fakeModel();
    expect(services.map((s) => s.name).sort()).to.deep.equal([...SERVICES].sort());
    orderDatabaseUrl = await createDatabase('obs_order');
    platform = await startPlatform({
      services,
      env: {
        ...Object.fromEntries(services.map((s) => [`${s.name.toUpperCase()}_PORT`, '0'])),
        CARTWHEEL_DATA_DIR: path.join(dir, 'data'),
        CARTWHEEL_DEMO_DATA: 'false',
        CARTWHEEL_ADMIN_EMAIL: 'admin@example.com',
        CARTWHEEL_ADMIN_PASSWORD: 'AdminPass123',
        LOG_LEVEL: 'silent',
        USER_DATABASE_URL: await createDatabase('obs_user'),
        INVENTORY_DATABASE_URL: await createDatabase('obs_inventory'),
        ORDER_DATABASE_URL: orderDatabaseUrl,
        ANTHROPIC_API_KEY: 'observability-test-key',
        ANTHROPIC_BASE_URL: model.url,
        RATE_LIMIT_PER_MINUTE: '1000',
        RATE_LIMIT_AUTH_PER_MINUTE: '100',
        RATE_LIMIT_AI_PER_MINUTE: '4',
        BREAKER_VOLUME_THRESHOLD: '4',
        NOTIFY_ADMIN_EMAILS: 'ops@example.com',
        // An email that cannot be written holds notification's partition, retried (20 × up to
        // 10 s) until the test ends: the events queued behind it are its lag.
        NOTIFY_MAX_RETRIES: '20',
        NOTIFY_RETRY_BACKOFF_MS: '5000',
      },
      logger: createLogger({ level: 'silent' }),
    });
    prometheus = await startPrometheus(
      dir,
      platform.services.map((s) => ({ name: s.name, url: s.url })),
    );
    await workload();
  });

  after(async () => {
    await prometheus?.stop();
    await platform?.stop();
    await new Promise((resolve) => model?.server.close(resolve));
    await telemetry?.shutdown();
    // Leave the process-wide OpenTelemetry globals as other suites expect them: unset.
    trace.disable();
    context.disable();
    propagation.disable();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls until every expression returns data (or the time is up); resolves with the ones that never did. */
  async function withoutData(expressions: Expression[], timeoutMs: number): Promise<string[]> {
    let missing = expressions;
    const deadline = Date.now() + timeoutMs;
    do {
      const answers = await Promise.all(missing.map((e) => prometheus.query(substitute(e.expr))));
      for (const [i, answer] of answers.entries()) {
        if (answer.error)
          throw new Error(`${missing[i].where} does not parse: ${answer.error}\n${missing[i].expr}`);
      }
      missing = missing.filter((_, i) => answers[i].series === 0);
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    } while (missing.length > 0 && Date.now() < deadline);
    return missing.map((e) => `${e.where}: ${e.expr}`);
  }

  const everything = () => [...dashboardExpressions(), ...ruleExpressions()];
  const alerts = () => readRules().filter((r) => r.alert && !needsCluster(r.expr));

  it('when the workload has been scraped, then every dashboard query and recording rule returns data (failure and cluster lists aside)', async () => {
    const expected = everything().filter(
      (e) =>
        !needsCluster(e.expr) &&
        !FIRES_ONLY_ON_FAILURE[e.where] &&
        !alerts().some((a) => e.where.endsWith(`› ${a.alert}`)),
    );
    expect(await withoutData(expected, 60_000)).to.deep.equal([]);
  });

  it('when requests ran traced, then Prometheus keeps exemplars whose trace_id is a real trace (the latency panels’ link to Tempo)', async () => {
    const traced = new Set(spans.getFinishedSpans().map((span) => span.spanContext().traceId));
    const now = Date.now() / 1000;
    for (const service of ['gateway', 'user', 'product', 'inventory', 'order', 'ai']) {
      const query = new URLSearchParams({
        query: `http_request_duration_seconds_bucket{service="${service}"}`,
        start: String(now - 600),
        end: String(now),
      });
      const response = await fetch(`${prometheus.url}/api/v1/query_exemplars?${query}`);
      const body = (await response.json()) as { data: { exemplars: { labels: { trace_id?: string } }[] }[] };
      const ids = body.data.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id));
      expect(ids.filter((id) => id && traced.has(id)).length, `${service} exemplars`).to.be.greaterThan(0);
    }
  });

  it('when the platform is healthy and idle, then no alert expression returns data (nothing fires)', async () => {
    await eventually(
      'every consumer to catch up',
      async () => (await prometheus.query('sum(event_consumer_lag) == 0')).series === 1,
      30_000,
    );
    // Latency depends on this machine's speed (password hashing under load), not on a failure.
    const quiet = alerts().filter((a) => !a.alert!.startsWith('CartwheelLatencyBudgetBurn'));
    const firing = [];
    for (const alert of quiet) {
      if ((await prometheus.query(alert.expr)).series > 0) firing.push(alert.alert);
    }
    expect(firing).to.deep.equal([]);
  });

  it('when failures are injected, then every alert and every failure-only dashboard query returns data', async () => {
    const all = everything();
    for (const where of Object.keys(FIRES_ONLY_ON_FAILURE)) {
      expect(
        all.some((e) => e.where === where),
        `FIRES_ONLY_ON_FAILURE names ${where}`,
      ).to.equal(true);
    }
    const failureOnly = [
      ...all.filter((e) => FIRES_ONLY_ON_FAILURE[e.where]),
      // An alert of several `or` arms (gateway or HTTP-client breaker; a DLQ counter that grew or
      // appeared) must fire through each arm, not just one.
      ...alerts().flatMap((a) =>
        a.expr.split(/\n\s*or\s+/).map((arm, i, arms) => ({
          where: `${a.file} › ${a.alert}${arms.length > 1 ? ` (arm ${i + 1})` : ''}`,
          expr: arm,
        })),
      ),
    ];
    const token = shopper.token;

    // Poison events (malformed order.placed and stock.updated): every consumer parks them at once.
    // A second wave once Prometheus has the DLQ counters: increase() needs a series to grow.
    const event = (type: string, subject: string, data: unknown, id?: string) =>
      createEvent({ id, source: 'observability-test', type, subject, data });
    const poison = async () => {
      await platform.bus.publish('orders', [event('order.placed', 'poisoned-order', { _id: 42 })]);
      await platform.bus.publish('inventory', [event('stock.updated', 'poisoned-stock', { product_id: 42 })]);
    };
    await poison();
    await eventually(
      'Prometheus to see the first poison events parked',
      async () => (await prometheus.query('count(events_dead_lettered_total) >= 4')).series > 0,
      30_000,
    );
    await poison();
    // Stock below the reorder threshold: all 10 desk lamps (threshold 1).
    expect((await placeOrder([{ product_id: productIds[2], quantity: 10 }])).status).to.equal(201);
    // An hour-old outbox row for a topic the bus does not have: order's relay cannot publish it.
    const db = openDatabase({ url: orderDatabaseUrl });
    try {
      await db('outbox').insert({
        topic: 'observability-missing-topic',
        event_key: 'stuck',
        event: event('order.placed', 'stuck', {}),
        created_at: db.raw("now() - interval '1 hour'"),
      });
    } finally {
      await db.destroy();
    }
    // A slow model: six chats of 1.5 s each on ai, more than 7.2 % of its requests over 1 s.
    model.delayMs = 1500;
    const chats = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() =>
        call(url('ai'), 'POST', '/api/v1/ai/chat', { token, json: { message: 'Any lamps?' } }),
      ),
    );
    model.delayMs = 0;
    expect(chats.map((c) => c.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
    // A welcome event delivered twice (sent once, then recognised), and one nobody can be written to.
    const welcome = (id: string, email: string) =>
      event('user.created', id, { id, email, first_name: 'Twice', last_name: 'Delivered', role: 'user' }, id);
    await platform.bus.publish('users', [welcome('9001', 'twice@example.com')]);
    await platform.bus.publish('users', [
      welcome('9001', 'twice@example.com'),
      welcome('9002', 'not-an-address'),
    ]);
    await eventually(
      'the redelivered welcome recognised as sent',
      async () =>
        /notification_emails_deduplicated_total\{[^}]*\} [1-9]/.test(
          await (await fetch(`${url('notification')}/metrics`)).text(),
        ),
      30_000,
    );
    // Notification falls behind: a file stands where its mail folder should be, so the next email
    // cannot be written and is retried (for minutes, until the test ends), holding its partition
    // while five more events of the same order queue behind it. The platform stops with them.
    const mailDir = path.join(dir, 'data', 'mail');
    rmSync(mailDir, { recursive: true, force: true });
    writeFileSync(mailDir, 'not a folder');
    for (let i = 0; i < 6; i++) {
      const cancelled = {
        _id: 'held-order',
        cancelled_at: new Date().toISOString(),
        user_email: 'held@example.com',
      };
      await platform.bus.publish('orders', [event('order.cancelled', 'held-order', cancelled)]);
    }
    await eventually(
      "Prometheus to see notification's lag reach 5",
      async () =>
        (await prometheus.query('max(event_consumer_lag{group="notification", topic="orders"}) >= 5'))
          .series > 0,
      30_000,
    );
    // The product service goes away: its scrapes fail, the gateway answers 5xx and opens its
    // breaker, ai's HTTP client to the catalog opens its own.
    await platform.services.find((s) => s.name === 'product')!.stop();
    // Requests keep failing until Prometheus has seen the 5xx counter rise: rate() ignores a
    // series' first sample, so a burst that lands between two scrapes would count as nothing.
    const statuses = new Set<number>();
    await eventually(
      "Prometheus to see the gateway's 5xx rise",
      async () => {
        statuses.add((await gateway('GET', '/api/v1/products/')).status);
        const seen = await prometheus.query(
          'sum(rate(http_request_duration_seconds_count{service="gateway", status=~"5.."}[5m])) > 0',
        );
        return seen.series > 0;
      },
      30_000,
    );
    expect([...statuses].every((status) => status >= 500)).to.equal(true);
    for (let i = 0; i < 12; i++) {
      await call(url('ai'), 'GET', `/api/v1/ai/recommendations?product_id=${productIds[0]}`, { token });
    }

    expect(await withoutData(failureOnly, 90_000)).to.deep.equal([]);
  });

  it('when every failure has happened, then every series the services export is on a dashboard', async () => {
    const match = new URLSearchParams({ 'match[]': '{job="cartwheel"}' });
    const response = await fetch(`${prometheus.url}/api/v1/label/__name__/values?${match}`);
    const names = new Set(
      ((await response.json()) as { data: string[] }).data
        .filter((name) => !/^(process_|nodejs_|scrape_|up$|ALERTS)/.test(name) && !name.includes(':'))
        .map((name) => name.replace(/_(bucket|sum|count|created)$/, '')),
    );
    const used = dashboardExpressions()
      .map((e) => e.expr)
      .join('\n');
    expect(
      [...names].filter((name) => !new RegExp(`\\b${name}(_bucket|_sum|_count)?\\b`).test(used)),
    ).to.deep.equal([]);
  });

  it('when the cluster-only expressions are evaluated, then Prometheus parses each of them', async () => {
    const clusterOnly = everything().filter((e) => needsCluster(e.expr));
    for (const metric of NEEDS_THE_CLUSTER) {
      expect(
        clusterOnly.some((e) => e.expr.includes(metric)),
        `${metric} is used`,
      ).to.equal(true);
    }
    for (const e of clusterOnly)
      expect((await prometheus.query(substitute(e.expr))).error, e.where).to.equal(undefined);
  });
});
