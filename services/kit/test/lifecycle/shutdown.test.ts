import { expect } from 'chai';
import Koa from 'koa';
import { createLogger, listen, shutdown } from '../../src/index.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('shutdown', () => {
  it('runs the steps in order', async () => {
    const order: string[] = [];
    const clean = await shutdown(
      ['ready', 'http', 'consumers', 'pools'].map((name) => ({
        name,
        stop: async () => void order.push(name),
      })),
      logger,
      1_000,
    );
    expect(clean).to.equal(true);
    expect(order).to.deep.equal(['ready', 'http', 'consumers', 'pools']);
  });

  it('when a step hangs past the deadline, then reports unclean and still runs the later steps', async () => {
    const order: string[] = [];
    const clean = await shutdown(
      [
        { name: 'hangs', stop: () => new Promise<void>(() => undefined) },
        { name: 'pools', stop: () => void order.push('pools') },
      ],
      logger,
      100,
    );
    expect(clean).to.equal(false);
    expect(order).to.deep.equal(['pools']);
  });

  it('when the server closes, then an in-flight request still completes and new connections are refused', async () => {
    const app = new Koa();
    app.use(async (ctx) => {
      await new Promise((r) => setTimeout(r, 300));
      ctx.body = 'finished';
    });
    const server = await listen(app, 0, '127.0.0.1');
    const inFlight = fetch(server.url);
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close(5_000);
    const res = await inFlight;
    expect(await res.text()).to.equal('finished');
    await closed;
    let refused = false;
    await fetch(server.url).catch(() => (refused = true));
    expect(refused).to.equal(true);
  });
});
