// End-to-end: the supply pages of the dashboard (web/dist) against the real server with its job
// runner and a real PostgreSQL, in Debian's Chromium through playwright-core. Data arrives through
// the real paths: the demo generator's bulk writers into the test tenant, a full re-score queued
// through POST /v1/supply/risk/rescore, an inventory event through POST /v1/events/inventory (which
// re-scores the part and raises an alert), and a CSV upload through the imports page.
// The JSON the pages read is saved once to test-output/supply-json/ for review.
// Screenshots (1280×800, light and dark) go to test-output/screenshots/.
//
// Needs: `npm --prefix web run build` (the server serves web/dist) and /usr/bin/chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, login, startTestServer, type TestServer } from '../support/test-server.js';
import { createDemoDataset } from '../../src/supply/demo/index.js';
import { writeDemoToTenant } from '../../src/main/demo.commands.js';
import { createFieldCipher } from '../../src/platform/crypto/field-cipher.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '..', '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shotsDir = join(repoRoot, 'test-output', 'screenshots');
const jsonDir = join(repoRoot, 'test-output', 'supply-json');
const TIMEOUT = 30_000;
const LAUNCH = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface RiskItem {
  partId: string; partNumber: string; description: string; criticality: string; locationId: string; locationCode: string;
  level: string; score: number; stockoutProbability: number; expectedExposure: number; conditionalExposure: number | null; demandPerPeriod: number | null; meanLeadTimeDemand: number | null;
  supplier: { country: string } | null;
}

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

/** Nothing on the page is wider than the viewport (no horizontal scroll at 1280 px). */
async function assertNoOverflow(page: Page, where: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `${where}: page is ${scroll}px wide in a ${client}px viewport`);
}

describe('dashboard: supply', { timeout: 420_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let cookie = '';
  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const saved = new Set<string>();
  /** Keeps one real response per endpoint for review (the fields the pages read are checked against it). */
  const keep = (name: string, body: unknown): void => {
    if (saved.has(name)) return;
    saved.add(name);
    writeFileSync(join(jsonDir, `${name}.json`), JSON.stringify(body, null, 2));
  };

  before(async () => {
    assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is missing: run `npm --prefix web run build` first');
    mkdirSync(shotsDir, { recursive: true });
    mkdirSync(jsonDir, { recursive: true });
    server = await startTestServer({ jobs: true });
    const tenant = (await server.db.ownerPool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [server.demo.tenant])).rows[0]!;
    // The demo generator (as `npm start` and `skyguard demo generate --tenant` use it), small.
    const ds = createDemoDataset({ parts: 300, suppliers: 25, seed: 7, asOf: `${server.clock.now().toISOString().slice(0, 7)}-01` });
    await writeDemoToTenant(server.db.appPool, tenant.id, ds, createFieldCipher(undefined, server.runtime.apiKeyPepper));
    cookie = await login(server.baseUrl, server.demo.tenant, server.demo.email, server.demo.password);
    const queued = await api<{ queued: boolean }>('/v1/supply/risk/rescore', { method: 'POST', body: {} });
    assert.equal(queued.queued, true);
    // The run is done when its scores are visible in the summary (not only the run row).
    const summary = await eventually(async () => {
      const s = await api<{ lastFullRun: unknown; total: { items: number } }>('/v1/supply/risk/summary?groups=30');
      return s.lastFullRun && s.total.items > 0 ? s : undefined;
    }, 180_000);
    keep('risk-summary', summary);

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: LAUNCH });
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', timezoneId: 'Europe/Zurich', locale: 'en-GB' });
    ctx.setDefaultTimeout(TIMEOUT);
    page = await ctx.newPage();
    await signIn(page, server.baseUrl, server.demo.tenant, server.demo.email, server.demo.password);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the executive overview shows totals, breakdowns and the supplier-country map', async () => {
    const s = await api<{ total: { items: number; byLevel: Record<string, number> }; breakdowns: Record<string, { groups: { key: string | null }[] }> }>('/v1/supply/risk/summary?groups=30');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Supply risk' }).click();
    const totals = page.getByTestId('supply-totals');
    await totals.waitFor();
    const text = (await totals.textContent()) ?? '';
    assert.match(text, /Expected exposure\s*\$/);
    assert.ok(text.includes(s.total.items.toLocaleString('en-GB')), `items scored ${s.total.items} in "${text}"`);
    assert.ok(text.includes(String(s.total.byLevel.critical)), 'critical count shown');
    // Breakdown: switching dimension redraws the chart.
    await page.getByRole('group', { name: 'Breakdown' }).getByRole('button', { name: 'Supplier region' }).click();
    await page.getByRole('img', { name: 'Exposure by region' }).locator('canvas').waitFor();
    // The world map is a lazy chunk loaded with the overview; it colours the supplier countries.
    const map = page.getByTestId('world-map');
    await map.locator('canvas').waitFor();
    const countries = s.breakdowns.country!.groups.filter((g) => g.key).map((g) => g.key!);
    assert.ok(countries.length > 1);
    // Every supplier country is drawn, or named as too small for the 1:110m atlas (Singapore).
    const drawn = Number(await map.getAttribute('data-countries'));
    const notDrawn = ((await map.getAttribute('data-not-drawn')) ?? '').split(' ').filter(Boolean);
    assert.equal(drawn + notDrawn.length, countries.length, `drawn ${drawn} + not drawn ${notDrawn.join(',')} = ${countries.join(',')}`);
    assert.ok(notDrawn.every((c) => countries.includes(c)));
    assert.equal(await page.getByTestId('country-table').locator('tbody tr').count(), Math.min(12, countries.length), 'the table lists the countries');
    await page.waitForTimeout(500);
    await assertNoOverflow(page, 'overview');
    await shot(page, '40-supply-overview');
    await map.scrollIntoViewIfNeeded();
    await shot(page, '41-supply-overview-map');
  });

  test('the ranked risk table filters by level and criticality and keeps the score order', async () => {
    const items = await api<{ items: RiskItem[] }>('/v1/supply/risk/items?limit=5');
    keep('risk-items', items);
    await page.goto(`${server.baseUrl}/supply/risk`);
    const table = page.getByTestId('risk-table');
    await table.waitFor();
    // Rows are replaced when the filtered page arrives: wait until every row matches, then check.
    const rowsMatch = (attr: string, value: string) =>
      page.waitForFunction(
        ([a, v]) => {
          const rows = Array.from(document.querySelectorAll('[data-testid=risk-table] tbody tr'));
          return rows.length > 0 && rows.every((r) => (a === 'level' ? r.querySelector('[data-level]')?.getAttribute('data-level') : r.getAttribute(`data-${a}`)) === v);
        },
        [attr, value] as const,
      );
    await page.getByLabel('Level').selectOption('high');
    await page.waitForURL(/level=high/);
    await rowsMatch('level', 'high');
    await page.getByLabel('Criticality').selectOption('no_go');
    await page.waitForURL(/criticality=no_go/);
    await rowsMatch('criticality', 'no_go');
    const levels = await table.locator('tbody tr [data-level]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
    assert.ok(levels.every((l) => l === 'high'), `both filters hold: ${levels.join(',')}`);
    // Sorting by exposure (server-side) gives a descending exposure column.
    await page.getByRole('button', { name: /Exposure/ }).click();
    await page.waitForURL(/sort=exposure/);
    await page.waitForFunction(() => !document.querySelector('.toolbar [role=status]'));
    const exposures = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-exposure'))));
    for (let i = 1; i < exposures.length; i++) assert.ok(exposures[i]! <= exposures[i - 1]!, `exposure descending: ${exposures.join(',')}`);
    await assertNoOverflow(page, 'risk table');
    await shot(page, '42-supply-risk-table');
  });

  test('the inventory explorer finds parts by number and by description; the part page shows stock, demand, offers, explanation and advice', async () => {
    const { items } = await api<{ items: RiskItem[] }>('/v1/supply/risk/items?limit=1&criticality=no_go');
    const target = items[0]!;
    await page.goto(`${server.baseUrl}/supply/parts`);
    const table = page.getByTestId('parts-table');
    await table.waitFor();
    const search = page.getByLabel('Search');
    await search.fill(target.partNumber);
    await page.waitForURL(new RegExp(`q=${target.partNumber}`));
    await table.getByRole('link', { name: target.partNumber }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.toolbar [role=status]'));
    assert.equal(await table.locator('tbody tr').count(), 1, 'a part number finds that part');
    const word = target.description.split(/\s+/).filter((w) => w.length > 3).pop()!;
    // The old rows (the one part found by number) already match the word, so wait for the new search's
    // response and then for the table to show more than that one row or settle on it.
    const searched = page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/v1/parts' && url.searchParams.get('q') === word.toLowerCase();
    });
    await search.fill(word.toLowerCase());
    await searched;
    await page.waitForURL(new RegExp(`q=${encodeURIComponent(word.toLowerCase())}`));
    await page.waitForFunction(() => !document.querySelector('.toolbar [role=status]'));
    await page
      .waitForFunction((w) => {
        const cells = Array.from(document.querySelectorAll('[data-testid=parts-table] tbody tr td:nth-child(2)'));
        return cells.length > 0 && cells.every((c) => (c.textContent ?? '').toLowerCase().includes(w));
      }, word.toLowerCase(), { timeout: 15_000 })
      .catch(() => undefined);
    const descs = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    assert.ok(descs.length > 0 && descs.every((d) => d.toLowerCase().includes(word.toLowerCase())), `"${word}" in every description: ${descs.join(' | ')}`);
    await shot(page, '43-supply-inventory-search');

    await table.getByRole('link', { name: target.partNumber }).first().click();
    await page.getByRole('heading', { name: new RegExp(target.partNumber) }).waitFor();
    const detail = await api<Record<string, unknown>>(`/v1/parts/${target.partId}`);
    keep('part', detail);
    keep('part-risk', await api(`/v1/supply/risk/parts/${target.partId}`));
    keep('offers', await api(`/v1/offers?partId=${target.partId}&limit=5`));
    keep('demand', await api(`/v1/demand?partId=${target.partId}&limit=5`));
    const stock = page.getByTestId('part-stock');
    await stock.getByText(target.locationCode).waitFor();
    assert.ok((await stock.locator('tbody tr').count()) >= 1);
    assert.ok((await page.getByTestId('part-offers').locator('tbody tr').count()) >= 1, 'offers listed');
    await page.getByRole('img', { name: 'Monthly demand and forecast' }).locator('canvas').waitFor();
    const risk = page.getByTestId('part-risk');
    await risk.getByTestId('explanation').waitFor();
    assert.ok((await risk.getByTestId('contribution').count()) >= 4, 'one bar per factor');
    const advice = (await risk.getByTestId('policy-advice').textContent()) ?? '';
    assert.match(advice, /reorder point/i);
    assert.match(advice, /\d/);
    const forecastLine = (await page.getByTestId('forecast-method').textContent()) ?? '';
    assert.match(forecastLine, /(smooth|intermittent|erratic|lumpy)/, `SBC class shown: ${forecastLine}`);
    await page.waitForTimeout(400);
    await assertNoOverflow(page, 'part page');
    await shot(page, '44-supply-part');
    await risk.scrollIntoViewIfNeeded();
    await shot(page, '45-supply-part-risk');
  });

  test('an inventory event that empties a store raises an alert; the inbox acknowledges and resolves it', async () => {
    // Empty the stores of the ten low-risk no-go items with the largest exposure if short: whichever
    // crosses the alert threshold (plus the hysteresis margin) first gives the alert the inbox works on.
    // Which items cross depends on the risk model, so the test does not predict one.
    const { items } = await api<{ items: RiskItem[] }>('/v1/supply/risk/items?limit=200&level=low&criticality=no_go');
    const candidates = [...items].sort((a, b) => (b.conditionalExposure ?? 0) - (a.conditionalExposure ?? 0)).slice(0, 10);
    const stamp = Date.now();
    const res = await api<{ summary: { applied: number } }>('/v1/events/inventory', {
      method: 'POST',
      body: { events: candidates.map((c, i) => ({ eventId: `e2e-${stamp}-${i}`, partNumber: c.partNumber, locationCode: c.locationCode, kind: 'snapshot', onHand: 0, reserved: 0, onOrder: 0, occurredAt: server.clock.now().toISOString() })) },
    });
    assert.equal(res.summary.applied, candidates.length);
    const alert = await eventually(async () => {
      const list = await api<{ items: { id: string; partId: string; locationId: string; status: string; trigger: string }[] }>(`/v1/supply/alerts?status=open&limit=200`);
      return list.items.find((a) => candidates.some((c) => a.partId === c.partId && a.locationId === c.locationId));
    }, 60_000).catch(async (e: unknown) => {
      const now = await Promise.all(candidates.map((c) => api<{ items: RiskItem[] }>(`/v1/supply/risk/items?partId=${c.partId}&locationId=${c.locationId}`)));
      throw new Error(`no alert for any emptied store; now ${now.map((n) => `${n.items[0]?.partNumber} ${n.items[0]?.level} ${n.items[0]?.score}`).join(', ')}: ${String(e)}`);
    });
    const item = candidates.find((c) => c.partId === alert.partId && c.locationId === alert.locationId)!;
    keep('alerts', await api('/v1/supply/alerts?limit=3'));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const row = page.locator(`[data-testid=alert][data-alert-id="${alert.id}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(item.partNumber));
    await row.scrollIntoViewIfNeeded();
    await shot(page, '46-supply-alert-open');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator(`[data-testid=alert][data-alert-id="${alert.id}"][data-status=acknowledged]`).waitFor();
    await row.getByRole('button', { name: 'Resolve' }).click();
    await page.locator(`[data-testid=alert][data-alert-id="${alert.id}"][data-status=resolved]`).waitFor().catch(async () => {
      // The open view may drop a resolved alert; the resolved view must then show it.
      await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: /Resolved/i }).click();
      await page.locator(`[data-testid=alert][data-alert-id="${alert.id}"][data-status=resolved]`).waitFor();
    });
    const after = await api<{ status: string; acknowledgedBy: string | null; resolvedBy: string | null }>(`/v1/supply/alerts/${alert.id}`);
    assert.equal(after.status, 'resolved');
    assert.ok(after.acknowledgedBy && after.resolvedBy, 'who acknowledged and resolved is recorded');
    await shot(page, '47-supply-alert-resolved');
  });

  test('the imports page uploads a CSV with one bad row and shows the reject with its reason', async () => {
    await page.goto(`${server.baseUrl}/supply/imports`);
    await page.getByLabel('What the file holds').selectOption('parts');
    const csv = [
      'part_number,description,category,criticality,unit_cost,currency',
      'E2E-0001,Test valve,ATA 29 Hydraulics,go,120.50,USD',
      'E2E-0002,Test seal,ATA 29 Hydraulics,maybe,10,USD',
      'E2E-0003,Test lamp,ATA 33 Lights,non_essential,4.2,USD',
    ].join('\n');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'e2e-parts.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
    const row = page.getByTestId('imports-table').locator('tbody tr').filter({ hasText: 'e2e-parts.csv' });
    await row.locator('[data-status=succeeded]').waitFor({ timeout: 60_000 });
    const cells = await row.locator('td.num').allTextContents();
    assert.deepEqual(cells.map((c) => c.replace(/[^\d]/g, '')), ['3', '2', '1'], 'rows read / accepted / rejected');
    await row.getByRole('button', { name: /1 rejected/ }).click();
    const rejects = page.getByTestId('import-rejects');
    await rejects.waitFor();
    const text = (await rejects.textContent()) ?? '';
    assert.match(text, /criticality/);
    assert.equal((await rejects.locator('tbody tr td').first().textContent())?.trim(), '3', 'the CSV line of the bad row');
    assert.match(text, /no_go|one of/i, 'the reason names the rule');
    keep('imports', await api('/v1/imports?limit=3'));
    await assertNoOverflow(page, 'imports');
    await shot(page, '48-supply-imports-reject');
  });

  test('suppliers and risk events read the real fields (severity 0–1 as a share)', async () => {
    const events = await api<{ items: { title: string; severity: number }[] }>('/v1/risk-events?limit=5');
    keep('risk-events', events);
    keep('suppliers', await api('/v1/suppliers?limit=3'));
    await page.goto(`${server.baseUrl}/supply/risk-events`);
    const table = page.getByTestId('risk-events-table');
    await table.waitFor();
    const first = events.items[0]!;
    const row = table.locator('tbody tr').filter({ hasText: first.title });
    assert.ok((await row.textContent())?.includes(`${Math.round(first.severity * 100)} %`), 'severity shown as a share of shipments held');
    await shot(page, '49-supply-risk-events');
    await page.goto(`${server.baseUrl}/supply/suppliers`);
    await page.getByTestId('suppliers-table').locator('tbody tr').first().waitFor();
    await assertNoOverflow(page, 'suppliers');
    await shot(page, '50-supply-suppliers');
  });

  test('dark theme: the overview and part page stay readable', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark', locale: 'en-GB', timezoneId: 'Europe/Zurich' });
    dark.setDefaultTimeout(TIMEOUT);
    try {
      const p = await dark.newPage();
      await signIn(p, server.baseUrl, server.demo.tenant, server.demo.email, server.demo.password);
      await p.goto(`${server.baseUrl}/supply`);
      await p.getByTestId('world-map').locator('canvas').waitFor();
      await p.waitForTimeout(500);
      await shot(p, '51-supply-overview-dark');
      await p.getByTestId('world-map').scrollIntoViewIfNeeded();
      await shot(p, '52-supply-map-dark');
      const { items } = await api<{ items: RiskItem[] }>('/v1/supply/risk/items?limit=1');
      await p.goto(`${server.baseUrl}/supply/parts/${items[0]!.partId}`);
      await p.getByTestId('part-risk').getByTestId('explanation').waitFor();
      await p.waitForTimeout(400);
      await shot(p, '53-supply-part-dark');
    } finally {
      await dark.close();
    }
  });

  test('procurement works alerts, the executive reads the overview, a pilot sees no supply pages', async () => {
    const roles = { procurement: await server.createUser(['procurement']), executive: await server.createUser(['executive']), pilot: await server.createUser(['pilot']) };
    for (const [role, user] of Object.entries(roles)) {
      const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      other.setDefaultTimeout(TIMEOUT);
      try {
        const p = await other.newPage();
        await signIn(p, server.baseUrl, server.demo.tenant, user.email, user.password);
        const nav = p.getByRole('navigation', { name: 'Main' });
        await nav.getByRole('link', { name: 'Overview' }).waitFor();
        const supplyLinks = await nav.getByRole('link', { name: 'Supply risk' }).count();
        if (role === 'pilot') {
          assert.equal(supplyLinks, 0, 'no supply nav for a pilot');
          await p.goto(`${server.baseUrl}/supply`);
          await p.getByTestId('no-access').waitFor();
          await p.goto(`${server.baseUrl}/supply/parts`);
          await p.getByTestId('no-access').waitFor();
          await shot(p, '55-supply-pilot-no-access');
          continue;
        }
        assert.equal(supplyLinks, 1, `${role} sees supply`);
        await p.goto(`${server.baseUrl}/supply/alerts`);
        await p.getByTestId('alerts-list').waitFor();
        const buttons = await p.getByTestId('alert').first().getByRole('button', { name: /Acknowledge|Resolve/ }).count();
        if (role === 'procurement') assert.ok(buttons > 0, 'procurement can act on alerts');
        else assert.equal(buttons, 0, 'the executive reads alerts only');
        await p.goto(`${server.baseUrl}/supply/imports`);
        await p.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
        await p.locator('[data-testid=imports-table], .state-block.empty').first().waitFor();
        assert.equal(await p.locator('#import-file').count(), 0, `${role} cannot upload imports`);
        if (role === 'executive') {
          await p.goto(`${server.baseUrl}/supply`);
          await p.getByTestId('supply-totals').waitFor();
          await shot(p, '54-supply-executive');
        }
      } finally {
        await other.close();
      }
    }
  });
});
