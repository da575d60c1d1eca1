import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { eventually, uniqueName } from '@cartwheel/testing';
import { expect } from 'chai';
import { z } from 'zod';
import {
  createApiRouter,
  createDatabase,
  createEmbeddedBus,
  createEvent,
  createHttpClient,
  createLogger,
  createServiceApp,
  enqueueEvents,
  ensureOutboxTable,
  listen,
  startOutboxRelay,
  type EventBus,
  type HttpClient,
  type Knex,
  type Logger,
  type OutboxRelay,
  type RunningHttpServer,
  type ServiceApp,
  type Subscription,
} from '../../src/index.js';
import { withServiceScope } from '../../src/telemetry/service-scope.js';
import { describeSpan, serviceOf, useInMemoryTracing } from '../support/tracing.js';

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
};

/**
 * The kit's own spans across two services of one process: `front` answers a request by querying
 * its database, calling `back` and writing an event to its outbox; the relay publishes it on the
 * embedded bus and `tally` consumes it.
 */
describe('tracing through the kit', function () {
  this.timeout(30_000);
  let tracing: ReturnType<typeof useInMemoryTracing>;
  let bus: EventBus;
  let db: Knex;
  let client: HttpClient;
  let relay: OutboxRelay;
  let subscription: Subscription;
  let front: ServiceApp;
  let servers: RunningHttpServer[];
  const logLines: Record<string, unknown>[] = [];
  const topic = uniqueName('traced');
  const handled: string[] = [];

  before(async () => {
    tracing = useInMemoryTracing();
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void logLines.push(JSON.parse(line)) },
    });
    bus = createEmbeddedBus();
    await bus.ensureTopics([topic]);
    db = createDatabase({ service: 'front' });
    await ensureOutboxTable(db);

    const backServer = await withServiceScope('back', async () => {
      const api = createApiRouter();
      api.route({
        method: 'get',
        path: '/things/:id',
        summary: 'A thing',
        params: z.object({ id: z.string() }),
        handler: (_ctx, { params }) => ({ id: params.id }),
      });
      const app = createServiceApp({
        service: 'back',
        logger: logger.child({ service: 'back' }),
        routers: [api],
      });
      return listen(app.app, 0, '127.0.0.1');
    });

    const frontServer = await withServiceScope('front', async () => {
      client = createHttpClient({ name: 'back', baseUrl: backServer.url });
      const api = createApiRouter();
      api.route({
        method: 'post',
        path: '/orders',
        summary: 'Place',
        status: 201,
        handler: async (ctx) => {
          const thing = await client.get('/things/7');
          await db.transaction(async (trx) => {
            await trx.raw('select 1 as one');
            await enqueueEvents(trx, topic, [
              createEvent({ source: '/front', type: 'order.placed', subject: 'o-1', data: thing.body }),
            ]);
          });
          relay.notify();
          (ctx.state.log as Logger).info('placed');
          return { placed: true };
        },
      });
      front = createServiceApp({
        service: 'front',
        logger: logger.child({ service: 'front' }),
        routers: [api],
      });
      relay = startOutboxRelay({ db, bus, registry: front.registry, pollIntervalMs: 50 });
      return listen(front.app, 0, '127.0.0.1');
    });

    subscription = await withServiceScope('tally', () =>
      bus.subscribe({
        groupId: uniqueName('tally'),
        topics: [topic],
        handler: async (event) => {
          logger.child({ service: 'tally' }).info('tallied');
          handled.push(event.id);
        },
      }),
    );
    servers = [backServer, frontServer];
  });

  after(async () => {
    await subscription?.stop();
    await relay?.stop();
    client?.close();
    for (const server of servers ?? []) await server.close();
    await bus?.close();
    await db?.destroy();
    await tracing?.stop();
  });

  const spansOf = (traceId: string) =>
    tracing.exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

  it('when a request arrives with a traceparent, then its server span continues it and the HTTP call, the queries, the relay’s publish and the consumer form one tree under it', async () => {
    const { traceId, parentId, header } = newTraceparent();
    const before = handled.length;

    const response = await fetch(`${servers[1].url}/orders`, {
      method: 'POST',
      headers: { traceparent: header },
    });
    expect(response.status).to.equal(201);
    await eventually('the consumer span', () =>
      spansOf(traceId).some((span) => span.kind === SpanKind.CONSUMER),
    );
    expect(handled.length).to.equal(before + 1);

    const spans = spansOf(traceId);
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    const one = (service: string, kind: SpanKind, name: RegExp) => {
      const found = spans.filter((s) => serviceOf(s) === service && s.kind === kind && name.test(s.name));
      expect(
        found,
        `${service} ${SpanKind[kind]} ${name} among ${spans.map(describeSpan).join(', ')}`,
      ).to.have.length(1);
      return found[0];
    };
    const server = one('front', SpanKind.SERVER, /^POST \/orders$/);
    expect(server.parentSpanContext?.spanId, 'the caller’s span').to.equal(parentId);
    expect(server.attributes).to.include({ 'http.route': '/orders', 'http.response.status_code': 201 });

    const call = one('front', SpanKind.CLIENT, /^GET back$/);
    expect(parentOf(call)).to.equal(server);
    expect(parentOf(one('back', SpanKind.SERVER, /^GET \/things\/:id$/))).to.equal(call);

    const select = one('front', SpanKind.CLIENT, /^SELECT$/);
    expect(select.attributes['db.query.text']).to.equal('select 1 as one');
    expect(parentOf(select)).to.equal(server);
    expect(parentOf(one('front', SpanKind.CLIENT, /^INSERT outbox$/))).to.equal(server);

    const publish = one('front', SpanKind.PRODUCER, new RegExp(`^publish ${topic}$`));
    expect(parentOf(publish), 'the request the event was written in').to.equal(server);
    const consume = one('tally', SpanKind.CONSUMER, new RegExp(`^process ${topic}$`));
    expect(parentOf(consume)).to.equal(publish);
    expect(consume.attributes).to.include({ 'cloudevents.event_type': 'order.placed' });

    // Log lines written inside carry the ids that lead to this trace.
    const placedLine = logLines.find((l) => l.message === 'placed' && l.trace_id === traceId);
    expect(placedLine, 'the handler’s line').to.include({
      service: 'front',
      span_id: server.spanContext().spanId,
    });
    expect(placedLine?.request_id).to.be.a('string');
    const tallied = logLines.find((l) => l.message === 'tallied' && l.trace_id === traceId);
    expect(tallied, 'the consumer’s line').to.include({ span_id: consume.spanContext().spanId });
    expect(tallied?.event_id).to.equal(consume.attributes['messaging.message.id']);
  });

  it('when a traced request is scraped as OpenMetrics, then its latency bucket carries the trace id as an exemplar, and the Prometheus format still names counters with _total', async () => {
    const response = await fetch(`${servers[1].url}/orders`, { method: 'POST' });
    expect(response.status).to.equal(201);
    const server = tracing.exporter
      .getFinishedSpans()
      .filter((s) => serviceOf(s) === 'front' && s.kind === SpanKind.SERVER)
      .at(-1)!;
    const traceId = server.spanContext().traceId;

    const open = await fetch(`${servers[1].url}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    expect(open.headers.get('content-type')).to.include('application/openmetrics-text');
    const openText = await open.text();
    const exemplars = openText
      .split('\n')
      .filter(
        (line) => line.startsWith('http_request_duration_seconds_bucket') && line.includes('route="/orders"'),
      )
      .filter((line) => line.includes(`# {trace_id="${traceId}"}`));
    expect(exemplars, 'a bucket line with the exemplar').to.not.have.length(0);
    expect(openText)
      .to.match(/^# TYPE events_published counter$/m)
      .and.to.match(/^events_published_total\{/m);
    expect(openText.trimEnd().endsWith('# EOF')).to.equal(true);

    const plain = await (await fetch(`${servers[1].url}/metrics`)).text();
    expect(plain)
      .to.match(/^# TYPE events_published_total counter$/m)
      .and.to.match(/^events_published_total\{/m);
    expect(plain).to.not.include('# {trace_id=');
  });

  it('when queries run outside any request or event (pollers), then they make no spans', async () => {
    const count = () => tracing.exporter.getFinishedSpans().filter((s) => s.name.startsWith('SELECT')).length;
    const before = count();

    await db.raw('select 2 as two');

    expect(count()).to.equal(before);
  });
});
