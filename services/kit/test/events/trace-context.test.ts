import { expect } from 'chai';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { uniqueName } from '@cartwheel/testing';
import {
  createEmbeddedBus,
  createEvent,
  injectTraceContext,
  withTraceContext,
} from '../../src/events/index.js';
import { eventually } from '@cartwheel/testing';
import { useW3CTracing } from './helpers.js';

const spanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};
const inSpan = <T>(fn: () => T): T => context.with(trace.setSpanContext(context.active(), spanContext), fn);

describe('trace context propagation', () => {
  let undo: () => void;
  before(() => (undo = useW3CTracing()));
  after(() => undo());

  it('injectTraceContext writes the active span as a W3C traceparent', () => {
    const headers = inSpan(() => injectTraceContext({ other: 'kept' }));
    expect(headers).to.deep.equal({
      other: 'kept',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
  });

  it('injectTraceContext adds nothing outside a trace', () => {
    expect(injectTraceContext()).to.deep.equal({});
  });

  it('withTraceContext runs the function inside the trace the headers carry', async () => {
    const headers = inSpan(() => injectTraceContext());
    const seen = await withTraceContext(headers, async () => trace.getSpanContext(context.active()));
    expect(seen).to.include({ traceId: spanContext.traceId, spanId: spanContext.spanId });
  });

  it('when an event is published inside a trace, then its handler runs inside that trace', async () => {
    const bus = createEmbeddedBus();
    const topic = uniqueName('traced');
    await bus.ensureTopics([topic]);
    const traceIds: Array<string | undefined> = [];
    await bus.subscribe({
      groupId: uniqueName('g'),
      topics: [topic],
      handler: async () => void traceIds.push(trace.getSpanContext(context.active())?.traceId),
    });
    await inSpan(() => bus.publish(topic, [createEvent({ source: 's', type: 't', subject: 'k', data: {} })]));
    await bus.publish(topic, [createEvent({ source: 's', type: 't', subject: 'k', data: {} })]);

    await eventually('both events handled', () => traceIds.length === 2);
    await bus.close();
    expect(traceIds).to.deep.equal([spanContext.traceId, undefined]);
  });
});
