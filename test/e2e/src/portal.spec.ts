/**
 * The web portal in real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * against a live cluster: a renter logs in with an API key, buys an interruptible lease from an
 * offer and sees it active with its remaining time counting down; an admin, in another browser
 * context, sees the market charts drawn from the samples (the lease's GPUs as rented); when the
 * renter releases the lease, its charge shows as revenue. And the JSON bridge the page uses
 * answers with the gRPC API's auth and errors.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { callUnary } from '@gantry/grpc';
import { loadTestConfig } from '@gantry/config';
import { Cluster, eventually, type ControlPlaneHandle, type GantryClient } from './harness';

const TIMEOUT_MS = 15_000;
const SLOW_MS = 60_000;

describe('the web portal, in Chromium', () => {
  let cluster: Cluster;
  let controlPlane: ControlPlaneHandle;
  let admin: GantryClient;
  let renterKey: string;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    cluster = await Cluster.create({
      controlPlaneEnv: { GANTRY_MARKET_SAMPLE_INTERVAL_SECONDS: '1' },
    });
    controlPlane = await cluster.startControlPlane();
    await cluster.startAgent('node-a', '4xH100-80GB');
    admin = cluster.client();
    await eventually('the agent registered', async () =>
      (await admin.nodes()).length === 1 ? true : undefined,
    );
    ({ apiKey: renterKey } = await callUnary(
      admin.admin,
      'createRenter',
      { name: 'alice', spendLimitMicros: 0 },
      admin.metadata,
      TIMEOUT_MS,
    ));
    await callUnary(
      admin.admin,
      'topUp',
      { renter: 'alice', amountMicros: 100_000_000, idempotencyKey: 'topup-alice', note: 'e2e' },
      admin.metadata,
      TIMEOUT_MS,
    );
    browser = await chromium.launch({
      executablePath: loadTestConfig().chromium,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await cluster?.destroy();
  });

  const portalUrl = () => `http://127.0.0.1:${controlPlane.httpPort}/portal`;

  /** A page in its own browser context (its own sessionStorage), logged in with `key`. */
  async function loggedIn(key: string, role: 'renter' | 'admin'): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(SLOW_MS);
    page.on('pageerror', (error) => pageErrors.push(`${role}: ${error.message}`));
    page.on('console', (message) => {
      // A refused call logs "Failed to load resource" (the login tries RentalService first).
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(`${role}: ${message.text()}`);
    });
    await page.goto(portalUrl());
    expect(new URL(page.url()).pathname).toBe('/portal/');
    await page.fill('#api-key', key);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector(`body[data-role=${role}]`);
    return page;
  }

  const figure = (page: Page, name: string) =>
    page.getAttribute(`[data-figure=${name}]`, 'data-micros').then(Number);

  it('lets a renter buy a lease and watch it run, and shows the admin the market as charts', async () => {
    // 1. The renter: an offer (once the market view has seen the node), bought at its floor.
    const renter = await loggedIn(renterKey, 'renter');
    await renter.waitForSelector('[data-figure=balance] strong:text("$100.00")');
    const offer = renter.locator(
      '#offers tr[data-product=interruptible][data-gpu-model="H100-80GB"]',
    );
    await offer.locator('button.use').click();
    expect(await renter.inputValue('#buy-form [name=product]')).toBe('LEASE_PRODUCT_INTERRUPTIBLE');
    expect(Number(await renter.inputValue('#buy-form [name=bid]'))).toBeGreaterThan(0);
    await renter.fill('#buy-form [name=gpus]', '2');
    await renter.fill('#buy-form [name=hours]', '1');
    await renter.click('#quote-button');
    await renter.waitForSelector('#quote:text("per GPU-hour")');
    await renter.click('#buy-form button[type=submit]');

    // 2. The lease runs: active, with its hour counting down.
    const lease = renter.locator('#leases tr[data-state=active]');
    await lease.waitFor();
    expect(await lease.locator('td.state').textContent()).toBe('active');
    expect(await lease.locator('td').nth(2).textContent()).toBe('2 x 1 H100-80GB');
    const remaining = lease.locator('td.remaining');
    const before = Number(await remaining.getAttribute('data-seconds'));
    expect(before).toBeGreaterThan(3500);
    expect(before).toBeLessThanOrEqual(3600);
    expect(await remaining.textContent()).toMatch(/^\d+m \d\ds$/);
    await eventually(
      'the remaining time to count down',
      async () =>
        Number(await remaining.getAttribute('data-seconds')) < before ? true : undefined,
      { timeoutMs: 5000, intervalMs: 200 },
    );

    // 3. The admin's charts: the samples of the last hour, the lease's GPUs as rented.
    const market = await loggedIn(cluster.adminKey, 'admin');
    await market.waitForSelector('[data-figure=rented] strong:text-is("2")');
    expect(await market.textContent('[data-figure=total] strong')).toBe('4');
    for (const chart of ['utilization', 'revenue', 'pressure', 'prices']) {
      await eventually(
        `the ${chart} chart with data`,
        async () => {
          const points = await market.getAttribute(`#chart-${chart} svg`, 'data-points');
          return Number(points) >= 2 ? true : undefined;
        },
        { timeoutMs: SLOW_MS, intervalMs: 250 },
      );
    }
    const series = await market.locator('#chart-utilization path.series').all();
    const names = await Promise.all(series.map((path) => path.getAttribute('data-series')));
    expect(names).toEqual(['internal', 'rented', 'idle']);
    for (const path of series) expect(await path.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L/);
    expect(await market.inputValue('#price-model')).toBe('H100-80GB');
    const onDemand = await market.getAttribute('#chart-prices path[data-series=on-demand]', 'd');
    expect(onDemand).toMatch(/^M[\d.]+,[\d.]+ L/);

    // 4. The renter releases the lease; its charge shows in the usage and as revenue.
    await lease.locator('button.release').click();
    await renter.waitForSelector('#leases tr[data-state=ended] td.remaining:text("released")');
    await eventually(
      'the charge in the usage',
      async () =>
        (await renter.textContent('[data-figure=charged] strong')) !== '$0.00' ? true : undefined,
      { timeoutMs: SLOW_MS },
    );
    await eventually(
      'revenue in the admin charts',
      async () => ((await figure(market, 'revenue')) > 0 ? true : undefined),
      { timeoutMs: SLOW_MS },
    );
    const bars = await market.getAttribute('#chart-revenue path[data-series=revenue]', 'd');
    expect(bars).toMatch(/Z/);
    expect(pageErrors).toEqual([]);
  });

  it('answers /rpc with the gRPC API’s auth and errors', async () => {
    const rpc = (method: string, body: unknown, key?: string) =>
      fetch(`http://127.0.0.1:${controlPlane.httpPort}/rpc/${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        },
        body: JSON.stringify(body),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));

    const offers = await rpc('gantry.v1.RentalService/ListOffers', {}, renterKey);
    expect(offers.status).toBe(200);
    expect(Array.isArray(offers.body['offers'])).toBe(true);
    expect(await rpc('gantry.v1.RentalService/ListOffers', {})).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect(await rpc('gantry.v1.AdminService/ListRenters', {}, renterKey)).toMatchObject({
      status: 403,
      body: { code: 'PERMISSION_DENIED' },
    });
    const bad = await rpc(
      'gantry.v1.RentalService/Quote',
      { lease: { product: 'LEASE_PRODUCT_ON_DEMAND', gpuModel: 'H100-80GB', gpus: 'two' } },
      renterKey,
    );
    expect(bad).toMatchObject({
      status: 400,
      body: { code: 'INVALID_ARGUMENT', violations: [{ field: 'lease.gpus' }] },
    });
    const invalid = await rpc(
      'gantry.v1.RentalService/Quote',
      { lease: { product: 'LEASE_PRODUCT_ON_DEMAND', gpuModel: 'Z9000', gpus: 1 } },
      renterKey,
    );
    expect(invalid).toMatchObject({ status: 400, body: { code: 'INVALID_ARGUMENT' } });
    expect(await rpc('gantry.v1.AgentGatewayService/Register', {})).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
  });
});
