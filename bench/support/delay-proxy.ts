// A TCP proxy that holds every chunk coming back from its target for `delayMs` before passing it
// on: put between a service and one of its upstreams, it makes that upstream slow (a response of
// one chunk arrives `delayMs` late) without touching either side.
import net from 'node:net';

export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: give it to the caller in place of the target's URL. */
  url: string;
  /** Where connections go (`http://host:port`); connections opened before keep their target. */
  setTarget(url: string): void;
  /** Delay of each response chunk from now on (0 = pass straight through). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port; set its target before the first connection. */
export async function startDelayProxy(): Promise<DelayProxy> {
  let target: URL | undefined;
  let delayMs = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!target) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    // Never before an earlier chunk of this connection (the delay may drop meanwhile): order kept,
    // and the end waits behind the last chunk.
    let releaseAt = 0;
    const later = (send: () => void) => {
      releaseAt = Math.max(Date.now() + delayMs, releaseAt);
      setTimeout(send, releaseAt - Date.now());
    };
    upstream.on('data', (chunk: Buffer) => later(() => client.writable && client.write(chunk)));
    upstream.on('end', () => later(() => client.end()));
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (url) => {
      target = new URL(url);
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
