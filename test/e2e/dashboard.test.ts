// End-to-end: the browser dashboard (web/dist) served by the real Skyguard server, driven in Debian's
// Chromium through playwright-core. Covers sign-in errors, the API-key lifecycle seen from outside
// (the shown secret works, then is refused after revocation), the audit trail of both changes, and
// permission-aware navigation for a non-admin. Screenshots of the main pages go to
// test-output/screenshots/ for review.
//
// Needs: `cd web && npm run build` (the server serves web/dist) and /usr/bin/chromium
// (`apt-get install -y chromium`).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '..', '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shotsDir = join(repoRoot, 'test-output', 'screenshots');
const TIMEOUT = 20_000;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: false });
}

/** Fills the login form; `baseUrl` null keeps the current login URL (and its ?next=). */
async function signIn(
  page: Page,
  baseUrl: string | null,
  tenant: string,
  email: string,
  password: string,
): Promise<void> {
  if (baseUrl) await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Organisation').fill(tenant);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

describe('browser dashboard', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath}: apt-get install -y chromium`);
    assert.ok(
      existsSync(join(repoRoot, 'web', 'dist', 'index.html')),
      'web/dist is missing: build the dashboard first (npm --prefix web ci && npm --prefix web run build)',
    );
    mkdirSync(shotsDir, { recursive: true });
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    admin = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      timezoneId: 'Europe/Zurich',
      locale: 'en-GB',
    });
    admin.setDefaultTimeout(TIMEOUT);
    page = await admin.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong password shows the server’s problem detail and stays on the login page', async () => {
    const { baseUrl, demo } = server;
    await page.goto(`${baseUrl}/users`);
    await page.waitForURL(/\/login\?next=%2Fusers/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, '01-login');

    // What the server itself says for these credentials; the page must show exactly that detail.
    const direct = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: demo.tenant, email: demo.email, password: `${demo.password}-wrong` }),
    });
    assert.equal(direct.status, 401);
    const problem = (await direct.json()) as { detail?: string; title?: string };

    await signIn(page, null, demo.tenant, demo.email, `${demo.password}-wrong`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.ok(
      text.includes(problem.detail ?? problem.title ?? '\u0000'),
      `alert "${text}" shows the problem detail "${problem.detail}"`,
    );
    assert.match(page.url(), /\/login/);
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared');
    await shot(page, '02-login-error');
  });

  test('admin signs in, lands on the deep-linked page and sees every admin area', async () => {
    const { baseUrl, demo } = server;
    await page.getByLabel('Password').fill(demo.password);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${baseUrl}/users`);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Overview', 'Users', 'Roles', 'API keys', 'Audit log', 'Profile & sessions']) {
      assert.equal(await nav.getByRole('link', { name: label }).count(), 1, `nav shows ${label}`);
    }
    await page.getByRole('table').waitFor();
    await shot(page, '04-users');

    await nav.getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Permission matrix' }).waitFor();
    await shot(page, '04-roles');

    await nav.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'API requests per minute' }).waitFor();
    // Either the ECharts canvas or the empty state, once loading is over.
    await page.locator('.chart canvas, .state-block.empty').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, '03-overview');
  });

  test('an API key created in the UI works until it is revoked in the UI', async () => {
    const { baseUrl } = server;
    const name = `e2e key ${Date.now()}`;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(`${baseUrl}/api-keys`);
    await page.getByRole('button', { name: 'Create API key' }).click();
    const create = page.getByTestId('create-api-key-dialog');
    await create.getByLabel('Name').fill(name);
    await create.getByRole('checkbox', { name: 'users:read' }).check();
    await create.getByRole('button', { name: 'Create key' }).click();

    const secretInput = page.getByTestId('api-key-secret');
    await secretInput.waitFor();
    const secret = await secretInput.inputValue();
    assert.match(secret, /^sg_/);
    await page.getByText('You will not see it again').waitFor();
    await shot(page, '05-api-key-secret');

    const me = (s: string) => fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${s}` } });
    const ok = await me(secret);
    assert.equal(ok.status, 200, 'the shown secret authenticates');

    await page.getByRole('button', { name: 'I have copied the secret' }).click();
    await secretInput.waitFor({ state: 'detached' });
    const row = page.locator(`tr[data-key-name="${name}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('Revoked').waitFor();
    await shot(page, '06-api-keys');

    const refused = await me(secret);
    assert.equal(refused.status, 401, 'a revoked key is refused');
  });

  test('the audit viewer shows the key’s create and revoke events, with hashes in the detail drawer', async () => {
    const { baseUrl } = server;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`${baseUrl}/audit`);
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const actions = await table.locator('code.action').allTextContents();
    const createIdx = actions.findIndex((a) =>
      /api[-_.]?keys?\b.*(creat|issu)|(creat|issu).*api[-_.]?keys?/i.test(a),
    );
    const revokeIdx = actions.findIndex((a) => /api[-_.]?keys?\b.*revok|revok.*api[-_.]?keys?/i.test(a));
    assert.ok(createIdx >= 0, `a create event among: ${actions.slice(0, 30).join(', ')}`);
    assert.ok(revokeIdx >= 0, `a revoke event among: ${actions.slice(0, 30).join(', ')}`);
    assert.ok(revokeIdx < createIdx, 'newest first: the revoke is listed above the create');

    await table.locator('tbody tr').nth(revokeIdx).getByRole('button').first().click();
    const drawer = page.getByTestId('audit-event-drawer');
    await drawer.getByTestId('audit-hash').waitFor();
    assert.match(page.url(), /[?&]event=/, 'the open event is in the URL');
    const hash = ((await drawer.getByTestId('audit-hash').textContent()) ?? '').trim();
    const prevHash = ((await drawer.getByTestId('audit-prev-hash').textContent()) ?? '').trim();
    assert.ok(hash.length >= 32 && prevHash.length >= 32, `hash ${hash} and prevHash ${prevHash} are shown`);
    assert.notEqual(hash, prevHash);
    const csv = await page.getByTestId('audit-export-csv').getAttribute('href');
    assert.match(csv ?? '', /^\/v1\/audit\/events\/export\?format=csv/);
    await drawer.getByTestId('audit-hash').scrollIntoViewIfNeeded();
    await shot(page, '07-audit-detail');

    await page.goBack();
    await drawer.waitFor({ state: 'hidden' });
  });

  test('profile lists the current session; the theme toggle switches to dark and is remembered', async () => {
    const { baseUrl } = server;
    await page.goto(`${baseUrl}/profile`);
    const sessions = page.getByTestId('sessions-table');
    await sessions.waitFor();
    await sessions.getByText('This session').waitFor();
    await shot(page, '08-profile');

    await page.getByTestId('theme-toggle').click();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'API requests per minute' }).waitFor();
    assert.equal(
      await page.locator('html').getAttribute('data-theme'),
      'dark',
      'the choice survives a reload',
    );
    await page.locator('.chart canvas, .state-block.empty').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, '09-overview-dark');
    await page.goto(`${baseUrl}/audit`);
    await page.getByTestId('audit-table').waitFor();
    await shot(page, '10-audit-dark');
  });

  test('a pilot sees no admin pages, and a deep link to /users shows "no access"', async () => {
    const { baseUrl, demo } = server;
    const pilot = await server.createUser(['pilot']);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    ctx.setDefaultTimeout(TIMEOUT);
    try {
      const p = await ctx.newPage();
      await signIn(p, baseUrl, demo.tenant, pilot.email, pilot.password);
      await p.waitForURL(`${baseUrl}/`);
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Overview' }).waitFor();
      // The navigation must match exactly what the server grants this user (the cookie rides along).
      const me = (await (await p.request.get(`${baseUrl}/v1/me`)).json()) as { permissions: string[] };
      const expected: Record<string, string | null> = {
        Overview: null,
        'Profile & sessions': null,
        Users: 'users:read',
        Roles: 'roles:read',
        'API keys': 'apikeys:read',
        'Audit log': 'audit:read',
      };
      for (const [label, perm] of Object.entries(expected)) {
        const shown = perm === null || me.permissions.includes(perm);
        assert.equal(
          await nav.getByRole('link', { name: label, exact: true }).count(),
          shown ? 1 : 0,
          `nav ${shown ? 'shows' : 'hides'} ${label}`,
        );
      }
      assert.ok(!me.permissions.includes('users:read'), 'a pilot may not read users');
      for (const label of ['Users', 'Roles', 'Audit log']) {
        assert.equal(
          await nav.getByRole('link', { name: label, exact: true }).count(),
          0,
          `admin page ${label} is not in the pilot's navigation`,
        );
      }
      await p.goto(`${baseUrl}/users`);
      await p.getByTestId('no-access').waitFor();
      await p.getByRole('heading', { name: 'No access' }).waitFor();
      await shot(p, '11-pilot-no-access');
    } finally {
      await ctx.close();
    }
  });
});
