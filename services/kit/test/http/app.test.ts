import { Writable } from 'node:stream';
import { expect } from 'chai';
import { z } from 'zod';
import {
  AppError,
  createApiRouter,
  createDatabase,
  createLogger,
  createServiceApp,
  listen,
  type RunningHttpServer,
  type ServiceApp,
} from '../../src/index.js';
import { freePort } from '@cartwheel/testing';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'things', level: 'debug', destination }) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read arbitrary JSON documents
const body = async (res: Response): Promise<any> => res.json();

const thingBody = z.strictObject({
  name: z.string().min(1).max(5),
  items: z.array(z.object({ quantity: z.number().int().min(1) })).min(1),
});

describe('createServiceApp', () => {
  let server: RunningHttpServer;
  let service: ServiceApp;
  let dependencyUp = true;
  const logs = captureLogs();

  before(async () => {
    const api = createApiRouter();
    api.route({
      method: 'post',
      path: '/things',
      summary: 'Create a thing',
      body: thingBody,
      status: 201,
      handler: (_ctx, { body }) => ({ created: body.name }),
    });
    api.route({
      method: 'get',
      path: '/things/:id',
      summary: 'Read a thing',
      params: z.object({ id: z.string().regex(/^\d+$/) }),
      handler: (_ctx, { params }) => {
        if (params.id === '0') throw new AppError('thing_not_found', 404, 'Thing not found');
        if (params.id === '500') throw new Error('database password is hunter2');
        return { id: params.id };
      },
    });
    api.route({
      method: 'get',
      path: '/stored-things',
      summary: 'Read things from a database that is down',
      handler: async () => {
        const database = createDatabase({
          url: `postgres://nobody:hunter2@127.0.0.1:${await freePort()}/things`,
        });
        try {
          return await database('things').select();
        } finally {
          await database.destroy();
        }
      },
    });
    service = createServiceApp({
      service: 'things',
      logger: logs.logger,
      routers: [api],
      readiness: [
        { name: 'database', check: async () => undefined },
        {
          name: 'broker',
          check: async () => {
            if (!dependencyUp) throw new Error('connection refused');
          },
        },
      ],
    });
    server = await listen(service.app, 0, '127.0.0.1');
  });
  after(() => server.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('when the body is malformed JSON, then responds 400 problem+json naming the body', async () => {
    const res = await post('/things', '{"name": "a",');
    expect(res.status).to.equal(400);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const problem = await body(res);
    expect(problem).to.include({ status: 400, title: 'Malformed request body' });
    expect(problem.errors).to.deep.equal([{ path: 'body', message: 'not valid JSON' }]);
  });

  it('when the body is 2 MiB, then responds 413 problem+json', async () => {
    const res = await post('/things', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).to.equal(413);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(await body(res)).to.include({ status: 413, title: 'Payload Too Large' });
  });

  it('when the route does not exist, then responds 404 problem+json naming it', async () => {
    const res = await fetch(`${server.url}/nowhere?x=1`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(await body(res)).to.include({ status: 404, detail: 'No route for GET /nowhere' });
  });

  it('when the method is not allowed on a route, then responds 405 with Allow', async () => {
    const res = await fetch(`${server.url}/things`, { method: 'DELETE' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.include('POST');
  });

  it('when fields are invalid, then responds 400 listing every bad field by path', async () => {
    const res = await post(
      '/things',
      JSON.stringify({ name: 'toolong', items: [{ quantity: 0 }], extra: 1 }),
    );
    expect(res.status).to.equal(400);
    const problem = await body(res);
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).to.have.members(['name', 'items.0.quantity', 'body']);
    expect(problem.detail).to.include('items.0.quantity');
  });

  it('when the body is valid, then the handler result is sent with the declared status', async () => {
    const res = await post('/things', JSON.stringify({ name: 'ok', items: [{ quantity: 2 }] }));
    expect(res.status).to.equal(201);
    expect(await body(res)).to.deep.equal({ created: 'ok' });
  });

  it('when a path parameter is invalid, then responds 400 naming params.id', async () => {
    const res = await fetch(`${server.url}/things/abc`);
    expect(res.status).to.equal(400);
    expect((await body(res)).errors[0].path).to.equal('params.id');
  });

  it('when a handler throws an AppError, then its status and title are rendered', async () => {
    const res = await fetch(`${server.url}/things/0`);
    expect(res.status).to.equal(404);
    expect(await body(res)).to.include({
      type: 'urn:cartwheel:problem:thing_not_found',
      title: 'Thing not found',
    });
  });

  it('when a handler fails unexpectedly, then responds 500 without leaking the cause, and logs it', async () => {
    const res = await fetch(`${server.url}/things/500`, { headers: { 'X-Request-Id': 'req-500' } });
    expect(res.status).to.equal(500);
    const text = await res.text();
    expect(text).to.not.include('hunter2');
    expect(JSON.parse(text)).to.include({ detail: 'An unexpected error occurred', request_id: 'req-500' });
    const logged = logs.lines.find((l) => l.level === 'error' && l.request_id === 'req-500');
    expect(logged, 'an error line carrying the request id').to.not.equal(undefined);
  });

  it('when the database is unreachable, then responds 503 with Retry-After instead of 500, and logs the cause', async () => {
    const res = await fetch(`${server.url}/stored-things`, { headers: { 'X-Request-Id': 'req-503' } });
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('5');
    const text = await res.text();
    expect(text).to.not.include('hunter2').and.not.include('ECONNREFUSED');
    expect(JSON.parse(text)).to.include({
      type: 'urn:cartwheel:problem:dependency_unavailable',
      detail: 'A service this request needs is unavailable; try again shortly',
    });
    const logged = logs.lines.find((l) => l.level === 'error' && l.request_id === 'req-503');
    expect(JSON.stringify(logged?.err)).to.include('ECONNREFUSED');
  });

  it('when a well-formed X-Request-Id arrives, then it is echoed; a malformed one is replaced', async () => {
    const kept = await fetch(`${server.url}/health`, { headers: { 'X-Request-Id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).to.equal('abc-123');
    const replaced = await fetch(`${server.url}/health`, {
      headers: { 'X-Request-Id': 'bad id\twith spaces' },
    });
    expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on every response', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-frame-options')).to.equal('DENY');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
  });

  it('when every dependency answers, then /ready is 200 listing them', async () => {
    dependencyUp = true;
    const res = await fetch(`${server.url}/ready`);
    expect(res.status).to.equal(200);
    expect((await body(res)).checks).to.deep.equal({ database: 'ok', broker: 'ok' });
  });

  it('when a dependency fails, then /ready is 503 naming it', async () => {
    dependencyUp = false;
    const res = await fetch(`${server.url}/ready`);
    dependencyUp = true;
    expect(res.status).to.equal(503);
    const problem = await body(res);
    expect(problem.detail).to.equal('things is not ready: broker unavailable');
    expect(problem.checks).to.deep.equal({ database: 'ok', broker: 'connection refused' });
  });

  it('when draining for shutdown, then /ready is 503 while /health stays 200', async () => {
    service.readiness.draining = true;
    const [ready, health] = await Promise.all([fetch(`${server.url}/ready`), fetch(`${server.url}/health`)]);
    service.readiness.draining = false;
    expect(ready.status).to.equal(503);
    expect(health.status).to.equal(200);
  });

  it('labels request metrics with the route template, never the raw path', async () => {
    await fetch(`${server.url}/things/41`);
    await fetch(`${server.url}/things/42`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).to.match(
      /http_request_duration_seconds_count\{[^}]*route="\/things\/:id"[^}]*status="200"[^}]*\} 2/,
    );
    expect(text).to.not.include('/things/41');
    expect(text).to.include('service="things"');
  });

  it('documents each route in /openapi.json from the same schema that validates it', async () => {
    const doc = await body(await fetch(`${server.url}/openapi.json`));
    expect(doc.openapi).to.equal('3.1.0');
    const schema = doc.paths['/things'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.name).to.include({ maxLength: 5, minLength: 1 });
    expect(schema.required).to.have.members(['name', 'items']);
    expect(doc.paths['/things/{id}'].get.parameters[0]).to.include({ name: 'id', in: 'path' });
  });

  it('writes one JSON access-log line per request with method, route, status and duration', async () => {
    await fetch(`${server.url}/things/7`, { headers: { 'X-Request-Id': 'log-check' } });
    const line = logs.lines.find((l) => l.message === 'request' && l.request_id === 'log-check');
    expect(line).to.include({ method: 'GET', route: '/things/:id', status: 200, service: 'things' });
    expect(line?.duration_ms).to.be.a('number');
  });
});

describe('createServiceApp for a proxy (bodyLimit false, openApi)', () => {
  let server: RunningHttpServer;
  const { logger } = captureLogs();

  before(async () => {
    const { app } = createServiceApp({
      service: 'proxy',
      logger,
      bodyLimit: false,
      openApi: async () => ({ openapi: '3.1.0', info: { title: 'merged', version: '1' }, paths: {} }),
    });
    // Stands in for a proxy: reads the raw request stream after the kit's middleware ran.
    app.use(async (ctx) => {
      let bytes = 0;
      for await (const chunk of ctx.req) bytes += (chunk as Buffer).length;
      ctx.body = { bytes, parsed: ctx.request.body !== undefined };
    });
    server = await listen(app, 0, '127.0.0.1');
  });
  after(() => server.close());

  it('when body parsing is off, then a 2 MiB JSON body reaches later middleware unread', async () => {
    const payload = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    const res = await fetch(`${server.url}/anything`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).to.equal(200);
    expect(await body(res)).to.deep.equal({ bytes: Buffer.byteLength(payload), parsed: false });
  });

  it('when an openApi document is given, then /openapi.json serves it instead of the generated one', async () => {
    const doc = await body(await fetch(`${server.url}/openapi.json`));
    expect(doc.info.title).to.equal('merged');
  });
});
