import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { expect } from 'chai';

import { createHttpClient, type HttpClient } from '../../src/http-client/index.js';
import { startUpstream, type Upstream } from './upstream-server.js';

describe('createHttpClient trace propagation', () => {
  let upstream: Upstream;
  let client: HttpClient;
  let ownContext = false;
  let ownPropagator = false;

  before(async () => {
    // The OpenTelemetry API is a no-op until a context manager and propagator are registered;
    // register them only if no other suite did, and undo only what we registered.
    ownContext = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    ownPropagator = propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    upstream = await startUpstream();
    client = createHttpClient({ name: 'catalog', baseUrl: upstream.url });
  });

  after(async () => {
    client.close();
    await upstream.close();
    if (ownContext) context.disable();
    if (ownPropagator) propagation.disable();
  });

  it('when a span is active, then its context is sent as a W3C traceparent', async () => {
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };

    await context.with(trace.setSpanContext(context.active(), spanContext), () => client.get('/products'));

    expect(upstream.requests[0].headers.traceparent).to.equal(
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );
  });

  it('when no span is active, then no traceparent is sent', async () => {
    await client.get('/products');

    expect(upstream.requests.at(-1)?.headers.traceparent).to.equal(undefined);
  });
});
