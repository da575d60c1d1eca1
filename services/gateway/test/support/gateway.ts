import { Writable } from 'node:stream';

import { createLogger, createTokenVerifier, listen, loadConfig, type TokenVerifier } from '@cartwheel/kit';
import { createTestIssuer, uniqueName, type TestIssuer } from '@cartwheel/testing';
import type { Redis } from 'ioredis';

import { createApp, type Gateway } from '../../src/app.js';
import { gatewayConfig } from '../../src/config.js';
import type { RouteSource } from '../../src/domain/route-table.js';

/** A gateway on a real port, configured like production through its env schema. */
export interface RunningGateway {
  url: string;
  gateway: Gateway;
  /** JSON log lines written so far. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface GatewayFixture {
  env?: Record<string, string>;
  routes?: RouteSource;
  redis?: Redis;
  rateLimitKeyPrefix?: string;
  verifier?: TokenVerifier;
}

let sharedIssuer: Promise<TestIssuer> | undefined;
/** One signing issuer for the whole run; its tokens are what test gateways accept. */
export const testIssuer = (): Promise<TestIssuer> => (sharedIssuer ??= createTestIssuer());

export async function verifierFor(issuer: TestIssuer): Promise<TokenVerifier> {
  return createTokenVerifier({
    issuers: [{ issuer: issuer.issuer, audience: issuer.audience, jwks: issuer.jwks }],
  });
}

export async function startGateway(fixture: GatewayFixture = {}): Promise<RunningGateway> {
  const config = loadConfig(gatewayConfig, { LOG_LEVEL: 'debug', ...fixture.env });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const gateway = createApp({
    config,
    logger: createLogger({ service: 'gateway', level: 'debug', destination }),
    verifier: fixture.verifier ?? (await verifierFor(await testIssuer())),
    routes: fixture.routes,
    redis: fixture.redis,
    // Every gateway a test starts counts in its own Redis namespace unless it is told to share one.
    rateLimitKeyPrefix: fixture.rateLimitKeyPrefix ?? uniqueName('gwtest'),
  });
  const server = await listen(gateway.app, 0, '127.0.0.1');
  return {
    url: server.url,
    gateway,
    logs,
    close: async () => {
      await server.close(1_000);
      gateway.close();
    },
  };
}

/** Every `<SERVICE>_URL` pointed at one upstream, so each route reaches it. */
export function allRoutesTo(url: string): Record<string, string> {
  return { USER_URL: url, PRODUCT_URL: url, INVENTORY_URL: url, ORDER_URL: url, AI_URL: url };
}

/** The problem document of a response, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export const jsonOf = async (res: Response): Promise<any> => res.json();

/** The value of one Prometheus sample line (`name{labels} value`) whose labels include `labels`. */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const matches = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
