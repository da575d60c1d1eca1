import { randomBytes } from 'node:crypto';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { service as ai } from '@cartwheel/ai';
import type { ServiceDefinition } from '@cartwheel/kit';
import { startTelemetry, type Telemetry } from '@cartwheel/kit/telemetry';
import { service as notification } from '@cartwheel/notification';
import { eventually } from '@cartwheel/testing';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { services } from '../src/services.js';
import { startInProcessPlatform, type InProcessPlatform } from './support/in-process-platform.js';

/** Every registered service, plus the notification and ai consumers if the registry lacks them yet. */
function withConsumers(registered: ServiceDefinition[]): ServiceDefinition[] {
  const all = [...registered];
  for (const extra of [notification, ai]) {
    // Before the gateway, which starts last in front of everything.
    if (!all.some((s) => s.name === extra.name)) all.splice(all.length - 1, 0, extra);
  }
  return all;
}

const serviceOf = (span: ReadableSpan) => String(span.resource.attributes['service.name']);
const describeSpan = (span: ReadableSpan) => `${serviceOf(span)} ${SpanKind[span.kind]} "${span.name}"`;

/**
 * One order placed through the gateway, traced end to end with an in-memory exporter: the
 * platform in-process (embedded mode), every span made by the kit exactly as in production.
 */
describe('tracing: one order placement is one trace', function () {
  this.timeout(120_000);
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry | undefined;
  let shop: InProcessPlatform;
  let base: string;

  before(async () => {
    telemetry = startTelemetry({
      serviceName: 'platform-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
      instrument: false,
    });
    shop = await startInProcessPlatform({ services: withConsumers(services) });
    base = shop.base;
  });

  after(async () => {
    await shop?.stop();
    await telemetry?.shutdown();
    // Leave the process-wide OpenTelemetry globals as other suites expect them: unset.
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const call = async (method: string, route: string, options: { token?: string; json?: unknown } = {}) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json ? { 'content-type': 'application/json' } : {}),
      },
      body: options.json ? JSON.stringify(options.json) : undefined,
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as never };
  };
  const login = async (email: string, password: string): Promise<string> => {
    const response = await call('POST', '/api/v1/auth/login', { json: { email, password } });
    expect(response.status, `login of ${email}`).to.equal(200);
    return (response.body as { access_token: string }).access_token;
  };

  it('when a shopper places an order through the gateway, then gateway, order, catalog, inventory, user, the database, the publish and every consumer share one trace tree', async () => {
    const admin = await login('admin@example.com', 'AdminPass123');
    const created = await call('POST', '/api/v1/products/', {
      token: admin,
      json: {
        name: 'Traced Lamp',
        description: 'A lamp to follow',
        category: 'Home',
        price: 49.99,
        quantity: 20,
      },
    });
    expect(created.status).to.equal(201);
    const productId = (created.body as { _id: string })._id;
    expect(
      (
        await call('POST', '/api/v1/auth/register', {
          json: { email: 'traced@example.com', password: 'Password123', first_name: 'Tra', last_name: 'Ced' },
        })
      ).status,
    ).to.equal(201);
    const shopper = await login('traced@example.com', 'Password123');
    // A default address, so placing the order asks the user service for it.
    const address = await call('POST', '/api/v1/users/me/addresses', {
      token: shopper,
      json: {
        line1: '1 Trace Road',
        city: 'Spanville',
        postal_code: '12345',
        country: 'EX',
        is_default: true,
      },
    });
    expect(address.status).to.equal(201);
    await eventually('inventory has the product', async () => {
      return (await call('GET', `/api/v1/inventory/${productId}`, { token: shopper })).status === 200;
    });

    // The client starts the trace: its traceparent names a trace id no other request has.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const placed = await fetch(`${base}/api/v1/orders/`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${shopper}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${clientSpanId}-01`,
      },
      body: JSON.stringify({ items: [{ product_id: productId, quantity: 2 }] }),
    });
    expect(placed.status, await placed.clone().text()).to.equal(201);

    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const find = (service: string, kind: SpanKind, name: RegExp) =>
      inTrace().find((s) => serviceOf(s) === service && s.kind === kind && name.test(s.name));
    const has = (service: string, kind: SpanKind, name: RegExp) => find(service, kind, name) !== undefined;
    const consumers = ['inventory', 'notification', 'ai'];
    await eventually(
      'the consumers of order.placed, stock.updated and ai.notification.ready to finish their spans',
      () =>
        consumers.every((service) => has(service, SpanKind.CONSUMER, /^process orders$/)) &&
        has('product', SpanKind.CONSUMER, /^process inventory$/) &&
        has('notification', SpanKind.CONSUMER, /^process ai-notifications$/),
      30_000,
    );

    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const chain: ReadableSpan[] = [];
      for (let p = parentOf(span); p; p = parentOf(p)) chain.push(p);
      return chain;
    };
    const required = (service: string, kind: SpanKind, name: RegExp) => {
      const span = find(service, kind, name);
      expect(
        span,
        `${service} ${SpanKind[kind]} ${name} among ${spans.map(describeSpan).join(', ')}`,
      ).to.not.equal(undefined);
      return span!;
    };

    // One tree: the gateway's server span is the only child of the client's span, and every
    // other span's parent is a span of this trace.
    const roots = spans.filter((s) => !parentOf(s));
    expect(roots.map(describeSpan)).to.deep.equal(['gateway SERVER "POST /api/v1/orders/*"']);
    expect(roots[0].parentSpanContext?.spanId).to.equal(clientSpanId);

    const gateway = roots[0];
    const order = required('order', SpanKind.SERVER, /^POST \/api\/v1\/orders/);
    // Under the client span the gateway's proxy made for the call, itself under the server span.
    const proxied = required('gateway', SpanKind.CLIENT, /^POST order$/);
    expect(parentOf(proxied)).to.equal(gateway);
    expect(parentOf(order)).to.equal(proxied);
    expect(proxied.attributes['http.response.status_code']).to.equal(201);

    // The order service's calls, each a client span whose upstream's server span is its child.
    for (const [upstream, route] of [
      ['product', /^GET \/api\/v1\/products/],
      ['inventory', /^POST \/api\/v1\/inventory\/reserve$/],
      ['user', /^GET \/api\/v1\/users\/me/],
    ] as const) {
      const client = required('order', SpanKind.CLIENT, new RegExp(`^(GET|POST) ${upstream}$`));
      expect(ancestors(client), `${upstream} client span under the order request`).to.include(order);
      const server = required(upstream, SpanKind.SERVER, route);
      expect(parentOf(server), `${upstream} server span`).to.equal(client);
    }

    // The order's database work and the outbox row, inside the order request.
    const insert = required('order', SpanKind.CLIENT, /^INSERT orders$/);
    expect(insert.attributes['db.system.name']).to.equal('postgresql');
    expect(ancestors(insert)).to.include(order);
    expect(ancestors(required('order', SpanKind.CLIENT, /^INSERT outbox$/))).to.include(order);

    // The relay publishes later, outside the request, yet in its trace (the outbox row's traceparent).
    const publish = required('order', SpanKind.PRODUCER, /^publish orders$/);
    expect(ancestors(publish)).to.include(order);
    for (const service of consumers) {
      const consumed = required(service, SpanKind.CONSUMER, /^process orders$/);
      expect(parentOf(consumed), `${service} consumer span`).to.equal(publish);
      expect(consumed.attributes['messaging.consumer.group.name']).to.equal(service);
    }
    // Events published while handling the trace continue it: the reservation's stock.updated
    // (inventory's outbox → the catalog's stock projection) and the AI's follow-up email.
    for (const [producer, topic, consumer] of [
      ['inventory', 'inventory', 'product'],
      ['ai', 'ai-notifications', 'notification'],
    ] as const) {
      const published = required(producer, SpanKind.PRODUCER, new RegExp(`^publish ${topic}$`));
      const consumed = required(consumer, SpanKind.CONSUMER, new RegExp(`^process ${topic}$`));
      expect(parentOf(consumed), `${consumer} consuming ${topic}`).to.equal(published);
    }
    // The inventory applies order.placed in its own database, inside its consumer span.
    const inventoryConsumer = required('inventory', SpanKind.CONSUMER, /^process orders$/);
    expect(
      spans.some(
        (s) =>
          serviceOf(s) === 'inventory' &&
          s.kind === SpanKind.CLIENT &&
          ancestors(s).includes(inventoryConsumer),
      ),
      'an inventory query under its consumer span',
    ).to.equal(true);
  });
});
