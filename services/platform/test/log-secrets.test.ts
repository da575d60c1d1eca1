import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '@cartwheel/kit';
import { eventually } from '@cartwheel/testing';
import { expect } from 'chai';
import { startInProcessPlatform, type InProcessPlatform } from './support/in-process-platform.js';

const SERVICE_CLIENT_SECRET = 'svc-secret-4f9d2c7e1b8a6d3f';
const ADMIN_PASSWORD = 'AdminPass123!x';
const SHOPPER_PASSWORD = 'ShopperPass456!y';
const NEW_PASSWORD = 'ChangedPass789!z';
const WRONG_PASSWORD = 'WrongGuess000!w';

/**
 * Every log line of a platform run (at `trace`, the most verbose level) that handles
 * credentials in every way the API offers, searched for the credentials themselves.
 */
describe('logs: no secrets in a platform run', function () {
  this.timeout(120_000);
  const lines: string[] = [];
  let shop: InProcessPlatform;
  let base: string;

  before(async () => {
    shop = await startInProcessPlatform({
      env: { CARTWHEEL_ADMIN_PASSWORD: ADMIN_PASSWORD, SERVICE_CLIENT_SECRET, LOG_LEVEL: 'trace' },
      logger: createLogger({
        level: 'trace',
        destination: { write: (line: string) => void lines.push(line) },
      }),
    });
    base = shop.base;
  });

  after(async () => {
    await shop?.stop();
  });

  const call = async (
    method: string,
    route: string,
    options: { token?: string; basic?: string; json?: unknown; form?: string; to?: string } = {},
  ) => {
    const authorization = options.token
      ? `Bearer ${options.token}`
      : options.basic
        ? `Basic ${Buffer.from(options.basic).toString('base64')}`
        : undefined;
    const response = await fetch(`${options.to ?? base}${route}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(options.json ? { 'content-type': 'application/json' } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: options.json ? JSON.stringify(options.json) : options.form,
    });
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    return { status: response.status, body: body ?? {} };
  };

  it('when users register, log in (form and JSON), refresh, fail, change passwords, services use client credentials and an order is placed, then no password, token, secret or key appears in any log line', async () => {
    const secrets: string[] = [
      SERVICE_CLIENT_SECRET,
      ADMIN_PASSWORD,
      SHOPPER_PASSWORD,
      NEW_PASSWORD,
      WRONG_PASSWORD,
    ];
    const keep = (...values: unknown[]) => {
      for (const value of values) if (typeof value === 'string' && value.length > 0) secrets.push(value);
    };

    // Admin: JSON login; a product to order.
    const adminLogin = await call('POST', '/api/v1/auth/login', {
      json: { email: 'admin@example.com', password: ADMIN_PASSWORD },
    });
    expect(adminLogin.status).to.equal(200);
    keep(adminLogin.body.access_token, adminLogin.body.refresh_token);
    const admin = String(adminLogin.body.access_token);
    const product = await call('POST', '/api/v1/products/', {
      token: admin,
      json: { name: 'Quiet Fan', description: 'Says nothing', category: 'Home', price: 29.99, quantity: 10 },
    });
    expect(product.status).to.equal(201);
    const productId = String(product.body._id);

    // Shopper: register, form login, a failed login, refresh (rotation), password change.
    const registered = await call('POST', '/api/v1/auth/register', {
      json: { email: 'quiet@example.com', password: SHOPPER_PASSWORD, first_name: 'Qui', last_name: 'Et' },
    });
    expect(registered.status).to.equal(201);
    const failed = await call('POST', '/api/v1/auth/login', {
      form: `username=quiet%40example.com&password=${encodeURIComponent(WRONG_PASSWORD)}`,
    });
    expect(failed.status).to.equal(401);
    const formLogin = await call('POST', '/api/v1/auth/login', {
      form: `username=quiet%40example.com&password=${encodeURIComponent(SHOPPER_PASSWORD)}`,
    });
    expect(formLogin.status).to.equal(200);
    keep(formLogin.body.access_token, formLogin.body.refresh_token);
    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      json: { refresh_token: formLogin.body.refresh_token },
    });
    expect(refreshed.status).to.equal(200);
    keep(refreshed.body.access_token, refreshed.body.refresh_token);
    const reused = await call('POST', '/api/v1/auth/refresh', {
      json: { refresh_token: formLogin.body.refresh_token },
    });
    expect(reused.status, 'a spent refresh token').to.equal(401);
    const shopper = String(refreshed.body.access_token);
    const changed = await call('PUT', '/api/v1/users/me/password', {
      token: shopper,
      json: { current_password: SHOPPER_PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(changed.status, JSON.stringify(changed.body)).to.be.oneOf([200, 204]);
    const again = await call('POST', '/api/v1/auth/login', {
      json: { email: 'quiet@example.com', password: NEW_PASSWORD },
    });
    expect(again.status).to.equal(200);
    keep(again.body.access_token, again.body.refresh_token);

    // Client credentials: HTTP Basic as the services send it (straight to the user service: the
    // gateway's edge refuses any Authorization that is not a bearer token), in the body through
    // the gateway, and a wrong secret.
    const userUrl = shop.url('user');
    const basic = await call('POST', '/api/v1/auth/token', {
      basic: `order:${SERVICE_CLIENT_SECRET}`,
      form: 'grant_type=client_credentials',
      to: userUrl,
    });
    expect(basic.status).to.equal(200);
    const inBody = await call('POST', '/api/v1/auth/token', {
      form: `grant_type=client_credentials&client_id=order&client_secret=${SERVICE_CLIENT_SECRET}`,
    });
    expect(inBody.status).to.equal(200);
    keep(basic.body.access_token, inBody.body.access_token);
    const refused = await call('POST', '/api/v1/auth/token', {
      basic: 'order:not-the-secret-at-all',
      form: 'grant_type=client_credentials',
      to: userUrl,
    });
    expect(refused.status).to.be.within(400, 401);
    secrets.push('not-the-secret-at-all');

    // An order: the order service fetches its own service token and calls catalog, inventory, user.
    const shopperToken = String(again.body.access_token);
    await eventually('inventory has the product', async () => {
      return (await call('GET', `/api/v1/inventory/${productId}`, { token: shopperToken })).status === 200;
    });
    const placed = await call('POST', '/api/v1/orders/', {
      token: shopperToken,
      json: {
        items: [{ product_id: productId, quantity: 1 }],
        shipping_address: { line1: '1 Hush Lane', city: 'Quietville', postal_code: '54321', country: 'EX' },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    await eventually('order.placed consumed by inventory', () =>
      lines.some((line) => line.includes('"service":"inventory"') && line.includes('"event_id"')),
    );

    // The signing key's material, as generated under the data directory.
    const pem = readFileSync(path.join(shop.dataDir, 'user', 'keys', 'signing-key.pem'), 'utf8');
    const keyLines = pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
    expect(keyLines.length).to.be.greaterThan(0);

    // Enough was logged for the search to mean something: requests with ids, errors, consumers.
    const text = lines.join('');
    expect(lines.length).to.be.greaterThan(30);
    expect(text).to.include('"request_id"').and.to.include('"status":401').and.to.include('"event_id"');
    const leaks = [
      ...secrets.filter((secret) => text.includes(secret)).map((secret) => `secret ${secret.slice(0, 6)}…`),
      ...keyLines.filter((line) => text.includes(line)).map(() => 'signing key material'),
      ...(/eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\./.test(text) ? ['a JWT'] : []),
      ...(/PRIVATE KEY/.test(text) ? ['a PEM private key'] : []),
      ...(/"d":"[A-Za-z0-9_-]{20,}"/.test(text) ? ['a private JWK'] : []),
      ...(new RegExp(Buffer.from(`order:${SERVICE_CLIENT_SECRET}`).toString('base64')).test(text)
        ? ['Basic credentials']
        : []),
    ];
    expect(
      leaks,
      leaks.length > 0 ? lines.filter((l) => secrets.some((s) => l.includes(s))).join('') : '',
    ).to.deep.equal([]);
  });
});
