/// <reference lib="dom" />
// End-to-end: the Flights pages of the dashboard (web/dist) against the real server with its job
// runner, in Debian's Chromium through playwright-core. A real ArduPilot log from ../shared is
// uploaded through the page with byte progress (upload throttled so progress is observable), decodes
// in the background while the list's badge follows it, then the flight page plots signals picked from
// the catalogue and zooms by dragging, which re-fetches the window from the signals endpoint.
// Also: the aircraft registry, a file that is no flight log (kept as failed, byte offset shown), and
// navigation hidden from a role without flight access. Screenshots go to test-output/screenshots/.
//
// Needs: `npm run build` (the server serves web/dist) and /usr/bin/chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, startTestServer, type TestServer } from '../support/test-server.js';
import { missingSharedNotice, sharedFile } from '../support/shared-data.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '..', '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shotsDir = join(repoRoot, 'test-output', 'screenshots');
const TIMEOUT = 30_000;
const LOG = 'flightlogs/ardupilot_copter_4.1.3_good_prop_hover_1.BIN';
const logPath = sharedFile(LOG);

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: false });
}

async function signIn(page: Page, baseUrl: string, tenant: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Organisation').fill(tenant);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${baseUrl}/`);
}

describe('dashboard: flights', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let flightUrl = '';

  before(async () => {
    assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is missing: run `npm run build` first');
    mkdirSync(shotsDir, { recursive: true });
    server = await startTestServer({ jobs: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', timezoneId: 'Europe/Zurich', locale: 'en-GB' });
    ctx.setDefaultTimeout(TIMEOUT);
    page = await ctx.newPage();
    await signIn(page, server.baseUrl, server.demo.tenant, server.demo.email, server.demo.password);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the aircraft registry registers an aircraft and refuses a duplicate name with the server’s reason', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Aircraft', exact: true }).click();
    await page.getByRole('heading', { name: 'Aircraft', level: 1 }).waitFor();
    for (const name of ['E2E-01', 'e2e-01']) {
      await page.getByRole('button', { name: 'Register aircraft' }).click();
      const dialog = page.getByTestId('aircraft-dialog');
      await dialog.getByLabel('Name or tail number').fill(name);
      await dialog.getByLabel('Serial number').fill('SN-4242');
      await dialog.getByLabel('Type').selectOption('multirotor');
      await dialog.getByRole('button', { name: 'Register aircraft' }).click();
      if (name === 'E2E-01') {
        await page.getByTestId('aircraft-table').getByText('E2E-01').waitFor();
      } else {
        // Names are unique ignoring case: the field shows the 409's detail.
        await dialog.locator('.field-error').waitFor();
        await shot(page, '24-aircraft-duplicate');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      }
    }
    assert.equal(await page.getByTestId('aircraft-table').locator('tbody tr').count(), 1);
    await shot(page, '25-aircraft');
  });

  test('a real log uploads with byte progress, and its badge turns "Decoded" without a reload', { skip: logPath ? false : missingSharedNotice(LOG) }, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flights', exact: true }).click();
    await page.getByRole('heading', { name: 'Flights', level: 1 }).waitFor();
    await page.locator('#upload-aircraft').selectOption({ label: 'E2E-01 · SN-4242' });

    // Throttle the upload so the progress bar has time to move, and record every value it shows.
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_200_000 });
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role=progressbar]');
        const v = Number(bar?.getAttribute('aria-valuenow'));
        if (bar && Number.isFinite(v) && seen[seen.length - 1] !== v) seen.push(v);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByTestId('flight-file-input').setInputFiles(logPath!);
    await page.getByRole('progressbar').waitFor();
    await page.waitForFunction(() => (window as unknown as { progressSeen: number[] }).progressSeen.some((v) => v > 0 && v < 100));
    await shot(page, '20-flight-upload-progress');
    await page.locator('[data-testid=upload-item][data-state=done]').waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    assert.ok(seen.filter((v) => v > 0 && v < 100).length >= 2, `progress moved through intermediate values: ${seen.join(', ')}`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `progress never goes back: ${seen.join(', ')}`);

    const row = page.getByTestId('flights-table').locator('tbody tr').filter({ hasText: 'good_prop_hover' });
    await row.waitFor();
    assert.equal(await row.getByText('E2E-01').count(), 1, 'the row names the chosen aircraft');
    await row.locator('[data-testid=flight-status][data-status=decoded]').waitFor({ timeout: 90_000 });
    await shot(page, '21-flights-list');
    const href = await row.getByRole('link').first().getAttribute('href');
    assert.match(href ?? '', /^\/flights\/[0-9a-f-]{36}$/);
    flightUrl = `${server.baseUrl}${href}`;
  });

  test('the flight page plots picked signals on one time axis and re-fetches the zoomed window', { skip: logPath ? false : missingSharedNotice(LOG) }, async () => {
    await page.goto(flightUrl);
    const summary = page.getByTestId('flight-summary');
    await summary.getByText('E2E-01').waitFor();
    const text = (await summary.textContent()) ?? '';
    assert.match(text, /ArduPilot DataFlash/);
    assert.match(text, /ArduCopter V4\.1\.3/);
    assert.match(text, /E2E-01/);
    assert.equal(await page.getByTestId('download-original').getAttribute('href'), `/v1/flights/${flightUrl.split('/').pop()}/file`);
    await page.locator('.signal-plot canvas').first().waitFor().catch(async (e: unknown) => {
      await shot(page, 'flight-page-failure');
      console.log(page.url());
      throw e;
    });

    // A new plot with two battery signals, picked by search.
    await page.getByRole('button', { name: 'Add a plot' }).click();
    const search = page.getByLabel('Search signals');
    for (const [q, name] of [['batt volt', 'batteries.0.voltage'], ['batt curr', 'batteries.0.current']] as const) {
      await search.fill(q);
      await page.getByTestId('signal-list').getByRole('button', { name: new RegExp(`^${name.replace(/\./g, '\\.')}\\b`) }).click();
    }
    await search.press('Escape');
    const plots = page.getByTestId('plot-card');
    const last = plots.last();
    await last.getByText('batteries.0.voltage').first().waitFor();
    await last.getByText('batteries.0.current').first().waitFor();
    await last.locator('.signal-plot canvas').waitFor();
    assert.equal(await page.locator('.signal-plot').count(), await plots.count(), 'every plot with signals draws a chart');
    assert.match(page.url(), /plots=[^&]*batteries\.0\.voltage%2Cbatteries\.0\.current/);
    await page.waitForTimeout(400);
    await shot(page, '22-flight-plots');

    // Drag across the middle of the first plot: the window narrows and is fetched at the plot's width.
    const before = (await page.getByTestId('plot-window').textContent()) ?? '';
    const over = page.locator('.signal-plot .u-over').first();
    const box = (await over.boundingBox())!;
    const requests: URL[] = [];
    page.on('request', (r) => {
      if (/\/signals\?names=/.test(r.url())) requests.push(new URL(r.url()));
    });
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForURL(/[?&]from=.*&to=/);
    const url = new URL(page.url());
    const uFrom = Number(url.searchParams.get('from'));
    const uTo = Number(url.searchParams.get('to'));
    assert.ok(uTo > uFrom, 'the zoom window is in the URL');
    // The page asks for the zoomed window (with a margin for panning), at the plot's pixel width.
    const req = await eventually(async () =>
      requests.find((r) => {
        const from = Number(r.searchParams.get('from'));
        const to = Number(r.searchParams.get('to'));
        return from <= uFrom && to >= uTo && to - from <= 2.01 * (uTo - uFrom);
      }),
    );
    const maxPoints = Number(req.searchParams.get('maxPoints'));
    const names = (req.searchParams.get('names') ?? '').split(',');
    assert.ok(names.includes('batteries.0.voltage') && names.includes('attitude.roll'), `one request for every plotted signal: ${names.join(',')}`);
    assert.ok(maxPoints >= 200 && maxPoints <= 20_000, `maxPoints follows the plot width: ${maxPoints}`);
    await page.waitForFunction((b) => document.querySelector('[data-testid=plot-window]')?.textContent !== b, before);
    assert.match((await page.getByTestId('plot-window').textContent()) ?? '', / of /, 'the window shows it is part of the flight');
    await page.waitForTimeout(500);
    await shot(page, '23-flight-zoomed');

    // The analysis panel is there, or says it is pending (until the analysis API lands).
    await page.locator('[data-testid=analysis-panel], [data-testid=analysis-pending]').first().waitFor();

    await page.getByRole('button', { name: 'Whole flight' }).click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('from'));
  });

  test('a file that is not a flight log is kept as a failed flight with the byte where it failed', async () => {
    await page.goto(`${server.baseUrl}/flights`);
    await page.getByTestId('flight-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('this is not a flight log\n'.repeat(40)) });
    const item = page.locator('[data-testid=upload-item][data-state=failed]');
    await item.waitFor();
    assert.match((await item.textContent()) ?? '', /not a supported|text|recognis/i);
    await item.getByRole('link', { name: 'see the failed flight' }).click();
    const banner = page.getByTestId('decode-error');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /UNSUPPORTED_FORMAT.*byte/s);
    await shot(page, '26-flight-failed');
  });

  test('a role without flight access sees no flight pages in the navigation', async () => {
    const buyer = await server.createUser(['procurement']);
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    other.setDefaultTimeout(TIMEOUT);
    try {
      const p = await other.newPage();
      await signIn(p, server.baseUrl, server.demo.tenant, buyer.email, buyer.password);
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Overview' }).waitFor();
      for (const label of ['Flights', 'Fleet risk', 'Aircraft']) {
        assert.equal(await nav.getByRole('link', { name: label, exact: true }).count(), 0, `${label} hidden`);
      }
      await p.goto(`${server.baseUrl}/flights`);
      await p.getByTestId('no-access').waitFor();
    } finally {
      await other.close();
    }
  });
});
