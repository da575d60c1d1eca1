import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { eventually } from '@cartwheel/testing';
import { buildAssets } from '@cartwheel/web';
import {
  browserStorage,
  horizontalOverflow,
  launchChromium,
  seriousViolations,
  waitForFocus,
  watchPage,
  type Browser,
  type BrowserContext,
  type Page,
} from '@cartwheel/web/testing';
import { expect } from 'chai';

import { startInProcessPlatform, type InProcessPlatform } from './support/in-process-platform.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
/** Screenshots land here (gitignored); CI keeps the folder as the run's artefacts. */
const ARTIFACTS = path.join(REPO, '.artifacts', 'web');
const ADMIN = { email: 'admin@example.com', password: 'AdminPass123' };
/** Demo catalog products (services/product demo data) the journeys use. */
const SKILLET = { id: '64d0c0de0000000000000001', name: 'Cast Iron Skillet 12"' };
const TENT = { id: '64d0c0de0000000000000003', name: 'Ultralight Camping Tent' };

/** The storefront as `make start` serves it, driven through Debian's Chromium like a person would. */
describe('storefront in a real browser', function () {
  // The platform starts in one process next to the browser: on a loaded CI machine that takes a while.
  this.timeout(300_000);
  let shop: InProcessPlatform;
  let webDir: string;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    webDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-web-'));
    await buildAssets({ outdir: webDir });
    shop = await startInProcessPlatform({
      env: {
        CARTWHEEL_DEMO_DATA: 'true',
        CARTWHEEL_ADMIN_EMAIL: ADMIN.email,
        CARTWHEEL_ADMIN_PASSWORD: ADMIN.password,
        WEB_ROOT: webDir,
        // One test client makes every request from one address; the limits are not under test here.
        RATE_LIMIT_PER_MINUTE: '10000',
        RATE_LIMIT_AUTH_PER_MINUTE: '1000',
        RATE_LIMIT_AI_PER_MINUTE: '1000',
      },
    });
    base = shop.base;
    browser = await launchChromium(process.env.CARTWHEEL_CHROMIUM_BIN);
    // Orders reserve stock: wait until inventory has consumed the demo products' product.created.
    const admin = await apiLogin(ADMIN.email, ADMIN.password);
    for (const product of [SKILLET, TENT]) {
      await eventually(
        `inventory of ${product.name}`,
        async () => {
          const res = await fetch(`${base}/api/v1/inventory/${product.id}`, {
            headers: { authorization: `Bearer ${admin}` },
          });
          return res.status === 200;
        },
        60_000,
      );
    }
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await shop?.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  async function apiLogin(email: string, password: string): Promise<string> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status, `login of ${email}`).to.equal(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    context.setDefaultTimeout(60_000); // waits for what the page shows, never sleeps
    const page = await context.newPage();
    const { problems } = watchPage(page);
    return { page, problems };
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await seriousViolations(page), `serious accessibility violations on ${name}`).to.deep.equal([]);
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
  }

  it('when a shopper registers, filters, searches, buys two products and cancels, then the order shows the exact total and ends cancelled', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${base}/`);
    await heading(page, 'Catalog').waitFor();
    await page.getByRole('heading', { name: SKILLET.name }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalog.png'), fullPage: true });
    await expectAccessible(page, 'the catalog');

    // Register: signed in right away.
    await page.getByRole('link', { name: 'Register' }).click();
    await heading(page, 'Create an account').waitFor();
    await page.getByLabel('First name').fill('Robin');
    await page.getByLabel('Last name').fill('Shopper');
    await page.getByLabel('Email').fill('robin@example.com');
    await page.getByLabel('Password').fill('Password123');
    await expectAccessible(page, 'the registration form');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Welcome, Robin! Your account is ready.').waitFor();
    await page.getByText('Signed in as').waitFor();

    // Filter by category: the two kitchen products; add the skillet from its card.
    await page.getByLabel('Category').selectOption('Kitchen');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('2 products match').waitFor();
    expect(await page.locator('.product-card h3').allInnerTexts()).to.deep.equal([
      SKILLET.name,
      'Pour-Over Coffee Kettle',
    ]);
    await page.getByRole('button', { name: `Add to cart (${SKILLET.name})` }).click();
    await page.getByText(`Added ${SKILLET.name} to the cart.`).waitFor();

    // Filter by price: only the tent costs between 300 and 400.
    await page.getByLabel('Category').selectOption('');
    await page.getByLabel('Minimum price').fill('300');
    await page.getByLabel('Maximum price').fill('400');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 product match').waitFor();
    expect(await page.locator('.product-card h3').allInnerTexts()).to.deep.equal([TENT.name]);
    expect(new URL(page.url()).search).to.equal('?min_price=300&max_price=400');

    // Search, open the product page (stock shown), add one.
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.getByLabel('Search', { exact: true }).fill('tent');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 product match').waitFor();
    await page.getByRole('link', { name: TENT.name }).click();
    await heading(page, TENT.name).waitFor();
    await page.getByText('In stock (15)').waitFor();
    await expectAccessible(page, 'the product page');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText(`Added 1 × ${TENT.name} to the cart.`).waitFor();

    // Cart: two lines, 39.99 + 349.00.
    await page.getByRole('link', { name: 'Cart, 2 items' }).click();
    await heading(page, 'Cart').waitFor();
    expect(await page.locator('tbody th').allInnerTexts()).to.deep.equal([SKILLET.name, TENT.name]);
    expect(await page.locator('tfoot .total').innerText()).to.equal('$388.99');
    await expectAccessible(page, 'the cart');

    // Checkout with a new address, saved to the account.
    await page.getByRole('link', { name: 'Checkout' }).click();
    await heading(page, 'Checkout').waitFor();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Please correct the fields marked below.').waitFor();
    expect(await page.getByLabel('Address line 1').getAttribute('aria-invalid')).to.equal('true');
    await waitForFocus(page, { id: 'line1' }); // focus on the first invalid field
    await page.getByLabel('Address line 1').fill('123 Example Street');
    await page.getByLabel('City').fill('Example City');
    await page.getByLabel('Postal code').fill('12345');
    await page.getByLabel('Country').fill('Example Country');
    await page.screenshot({ path: path.join(ARTIFACTS, 'checkout.png'), fullPage: true });
    await expectAccessible(page, 'the checkout');
    await page.getByRole('button', { name: 'Place order' }).click();

    // The order page: pending, the exact total, the address.
    await page.getByText('Thank you! Your order is placed.').waitFor();
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('order-status').getByText('Pending').waitFor();
    expect(await page.getByTestId('order-total').innerText()).to.equal('$388.99');
    await page.getByText('123 Example Street, Example City, 12345, Example Country').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'order.png'), fullPage: true });
    await expectAccessible(page, 'the order page');
    expect(await page.getByRole('link', { name: 'Cart, 0 items' }).count(), 'the cart is emptied').to.equal(
      1,
    );

    // Cancel it (with a confirmation step), then it is cancelled in the order service too.
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.getByTestId('order-status').getByText('Cancelled').waitFor();
    await page.getByText('The order is cancelled.').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).to.equal(0);
    const admin = await apiLogin(ADMIN.email, ADMIN.password);
    const stored = (await (
      await fetch(`${base}/api/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as { status: string; total_price: number };
    expect(stored).to.include({ status: 'cancelled', total_price: 388.99 });

    // Order history lists it with its status.
    await page.getByRole('link', { name: 'My orders', exact: true }).click();
    await heading(page, 'My orders').waitFor();
    await page.getByRole('row', { name: /Cancelled/ }).waitFor();
    await expectAccessible(page, 'the order history');

    // The session survives a reload (refresh token in sessionStorage), and no token is in localStorage.
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await page.getByRole('row', { name: /Cancelled/ }).waitFor();
    const storage = await browserStorage(page);
    expect(JSON.stringify(storage.local)).to.not.match(/token|eyJ/);
    expect(Object.keys(storage.session)).to.deep.equal(['cartwheel.refresh_token']);

    // The assistant panel (the ai service without a key: its fallback answers): opens with focus in
    // its field, marks the fallback answer, links the products it names, closes on Escape.
    await page.getByRole('button', { name: 'Assistant', exact: true }).click();
    await waitForFocus(page, { id: 'chat-message' }); // focus moves into the panel
    await page.getByLabel('Your question').fill('a tent under 400');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const answer = page.locator('.chat-assistant').first();
    await answer.getByText('Fallback answer').waitFor();
    expect(await answer.getByRole('link').count()).to.be.greaterThan(0);
    await expectAccessible(page, 'the assistant panel');
    await page.keyboard.press('Escape');
    await page.locator('#chat-panel').waitFor({ state: 'hidden' });
    await waitForFocus(page, { text: 'Assistant', expanded: 'false' }); // back on the toggle, which says closed

    // Signing out forgets the refresh token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect((await browserStorage(page)).session).to.deep.equal({});
    expect(problems).to.deep.equal([]);
  });

  it('when the session is revoked at the server, then the next call refreshes once, fails, and signs the shopper out', async () => {
    const { page, problems } = await newPage();
    await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'sam@example.com',
        password: 'Password123',
        first_name: 'Sam',
        last_name: 'Lee',
      }),
    });
    await signIn(page, 'sam@example.com', 'Password123');
    const refreshToken = (await browserStorage(page)).session['cartwheel.refresh_token'];
    const logout = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    expect(logout.status).to.equal(204);
    // A reload drops the in-memory access token: the app must refresh, which the server now refuses.
    await page.goto(`${base}/orders`);
    await heading(page, 'Sign in').waitFor();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    expect(new URL(page.url()).search).to.equal('?next=%2Forders');
    expect(await page.getByText('Signed in as').count()).to.equal(0);
    expect((await browserStorage(page)).session).to.deep.equal({});
    expect(problems).to.deep.equal([]);
  });

  it('when an admin creates, edits and deletes a product, then its inventory appears and can be restocked, and orders can be moved on', async () => {
    const { page, problems } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    const adminNav = page.getByRole('navigation', { name: 'Admin' });
    await adminNav.getByRole('link', { name: 'Products' }).click();
    await heading(page, 'Products').waitFor();
    await page.getByRole('row', { name: new RegExp(TENT.name) }).waitFor();
    await expectAccessible(page, 'the admin product list');

    await page.getByRole('link', { name: 'New product' }).click();
    await heading(page, 'New product').waitFor();
    await page.getByLabel('Name').fill('Browser Test Lamp');
    await page.getByLabel('Category').fill('Lighting');
    await page.getByLabel('Price').fill('45.5');
    await page.getByLabel('Initial stock').fill('-3');
    await page.getByRole('button', { name: 'Create product' }).click();
    // The catalog's problem+json names the field; the page shows it next to the field.
    const stockError = page.locator('#product-quantity-error');
    await stockError.waitFor();
    expect(await page.getByLabel('Initial stock').getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(page, 'the product form with errors');
    await page.getByLabel('Initial stock').fill('20');
    await page.getByLabel('Description').fill('Desk lamp made for the browser test');
    await page.getByLabel('Tags').fill('lamp, desk');
    await page.getByRole('button', { name: 'Create product' }).click();

    await heading(page, 'Edit Browser Test Lamp').waitFor();
    await page.getByText('Created Browser Test Lamp.').waitFor();
    // Inventory creates the record from product.created; the panel shows it once it exists.
    await page.getByTestId('stock-available').getByText('20', { exact: true }).waitFor();
    expect(await page.getByTestId('stock-reserved').innerText()).to.equal('0');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-product.png'), fullPage: true });
    await expectAccessible(page, 'the product edit page');

    // Edit: the new price is what the catalog now sells it for.
    await page.getByLabel('Price').fill('49.95');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const productId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const edited = (await (await fetch(`${base}/api/v1/products/${productId}`)).json()) as { price: number };
    expect(edited.price).to.equal(49.95);

    // The inventory page: low stock first, then the rest, with the new product; restock it by 5.
    await adminNav.getByRole('link', { name: 'Inventory' }).click();
    await heading(page, 'Inventory').waitFor();
    await page.getByRole('heading', { level: 2, name: /^Low stock/ }).waitFor();
    const sections = await page.locator('main h2').allInnerTexts();
    expect(sections[0]).to.match(/^Low stock \(\d+\)$/);
    expect(sections[1]).to.match(/^Everything else \(\d+\)$/);
    const card = page.locator('.stock-card', { has: page.getByRole('link', { name: 'Browser Test Lamp' }) });
    await card.getByLabel('Restock by').fill('5');
    await card.getByRole('button', { name: 'Restock' }).click();
    await card.getByTestId('stock-available').getByText('25', { exact: true }).waitFor();
    await card.getByText('Adjust with a reason').click();
    await card.getByLabel('Change by (negative removes)').fill('-2');
    await card.getByLabel('Reason').fill('Two arrived broken');
    await card.getByRole('button', { name: 'Adjust' }).click();
    await card.getByTestId('stock-available').getByText('23', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-inventory.png'), fullPage: true });
    await expectAccessible(page, 'the inventory page');

    // All orders: a shopper's pending order is moved to paid.
    await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'kim@example.com',
        password: 'Password123',
        first_name: 'Kim',
        last_name: 'Park',
      }),
    });
    const shopper = await apiLogin('kim@example.com', 'Password123');
    const placed = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shopper}` },
      body: JSON.stringify({
        items: [{ product_id: SKILLET.id, quantity: 2 }],
        shipping_address: { line1: '1 Main St', city: 'Springfield', postal_code: '11111', country: 'US' },
      }),
    });
    expect(placed.status).to.equal(201);
    const order = (await placed.json()) as { _id: string };
    await adminNav.getByRole('link', { name: 'All orders' }).click();
    await heading(page, 'All orders').waitFor();
    const row = page.getByRole('row', { name: new RegExp(order._id.slice(0, 8)) });
    await row.locator('.badge', { hasText: 'Pending' }).waitFor();
    await expectAccessible(page, 'the admin order list');
    await row.getByLabel(/New status of order/).selectOption('paid');
    await row.getByRole('button', { name: 'Update' }).click();
    await row.locator('.badge', { hasText: 'Paid' }).waitFor();
    const stored = (await (
      await fetch(`${base}/api/v1/orders/${order._id}`, { headers: { authorization: `Bearer ${shopper}` } })
    ).json()) as { status: string };
    expect(stored.status).to.equal('paid');

    // Delete the product, with a confirmation step: gone from the list and from the catalog.
    await adminNav.getByRole('link', { name: 'Products' }).click();
    const lampRow = page.getByRole('row', { name: /Browser Test Lamp/ });
    await lampRow.getByRole('button', { name: 'Delete (Browser Test Lamp)' }).click();
    await lampRow.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Deleted Browser Test Lamp.').waitFor();
    await lampRow.waitFor({ state: 'detached' });
    expect((await fetch(`${base}/api/v1/products/${productId}`)).status).to.equal(404);
    expect(problems).to.deep.equal([]);
  });

  it('when the window is phone-sized, then the catalog needs no sideways scrolling', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 375, height: 740 } });
    contexts.push(context);
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: SKILLET.name }).waitFor();
    expect(await horizontalOverflow(page)).to.be.at.most(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalog-phone.png'), fullPage: true });
    await expectAccessible(page, 'the catalog on a phone');
  });
});
