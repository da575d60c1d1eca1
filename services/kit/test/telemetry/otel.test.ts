import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import { startTelemetry } from '../../src/telemetry/otel.js';
import { createLogger } from '../../src/index.js';

describe('startTelemetry', () => {
  it('when no endpoint is configured, then it starts nothing', () => {
    expect(startTelemetry({ serviceName: 'quiet' })).to.equal(undefined);
  });

  it('when an OTLP endpoint is configured, then spans reach it with the service name, and logs carry the trace id', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const telemetry = startTelemetry({ serviceName: 'telemetry-probe', endpoint });
    const lines: Record<string, string>[] = [];
    const logger = createLogger({
      service: 'telemetry-probe',
      destination: new Writable({ write: (c, _e, done) => (lines.push(JSON.parse(String(c))), done()) }),
    });
    try {
      let traceId = '';
      await trace.getTracer('test').startActiveSpan('place-order', async (span) => {
        traceId = span.spanContext().traceId;
        logger.info('inside the span');
        span.end();
      });
      await telemetry?.shutdown();
      const export_ = received.find((r) => r.path === '/v1/traces');
      expect(export_, 'an OTLP trace export').to.not.equal(undefined);
      expect(export_?.body).to.include('telemetry-probe').and.to.include('place-order');
      expect(lines[0]).to.include({ trace_id: traceId });
      expect(traceId).to.match(/^[0-9a-f]{32}$/);
    } finally {
      // Leave the process-wide OpenTelemetry globals as other suites expect them: unset.
      trace.disable();
      context.disable();
      propagation.disable();
      collector.close();
    }
  });
});
