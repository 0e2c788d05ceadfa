import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, eventually, type TestServer } from '../support/test-server.js';
import { OIDC_TEST_CLIENT, OIDC_TEST_REDIRECT, OidcTestProvider, TestBrowser } from '../support/oidc-test-provider.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { signInOidcAccount } from '../../src/platform/accounts/oidc-account.js';
import { AppError } from '../../src/shared/app-error.js';

let idp: OidcTestProvider;
let ts: TestServer;
before(async () => {
  idp = await OidcTestProvider.start();
  ts = await startTestServer({
    env: {
      OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: OIDC_TEST_CLIENT.id, OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.secret,
      OIDC_REDIRECT_URL: OIDC_TEST_REDIRECT, OIDC_TENANT_CLAIM: 'skyguard_tenant', OIDC_SCOPES: 'openid email profile skyguard', OIDC_LABEL: 'Test IdP',
    },
  });
});
after(async () => {
  await ts.close();
  await idp.close();
});

const me = async (browser: TestBrowser) => {
  const session = browser.cookie(ts.baseUrl, 'sg_session');
  const res = await fetch(`${ts.baseUrl}/v1/me`, { headers: session ? { cookie: `sg_session=${session}` } : {} });
  return { status: res.status, body: ((await res.json()) as { user: { email: string; roles: string[] } }).user };
};
const users = async (email: string) =>
  (await ts.db.ownerPool.query<{ id: string; roles: string[]; oidc_issuer: string | null; oidc_subject: string | null; password_hash: string | null }>(
    'SELECT id, roles, oidc_issuer, oidc_subject, password_hash FROM users WHERE email = $1', [email])).rows;
const claims = (email: string, roles: unknown, extra: Record<string, unknown> = {}) =>
  ({ email, email_verified: true, name: `Test ${email}`, roles, skyguard_tenant: ts.demo.tenant, ...extra });

test('the dashboard learns that single sign-on is offered', async () => {
  const res = await fetch(`${ts.baseUrl}/v1/auth/methods`);
  assert.deepEqual(await res.json(), { password: true, oidc: { label: 'Test IdP', loginUrl: '/v1/auth/oidc/login' } });
});

test('a first sign-in provisions the account with the roles the provider grants, and its session works', async () => {
  idp.signInAs('alice-sub', claims('alice@idp.test', ['analyst', 'pilot', 'not-a-skyguard-role']));
  const browser = new TestBrowser(ts.baseUrl);
  const res = await browser.visit(`${ts.baseUrl}/v1/auth/oidc/login?returnTo=/flights`);
  assert.equal(res.status, 302, await res.clone().text());
  assert.equal(res.headers.get('location'), '/flights');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sg_session='))!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const who = await me(browser);
  assert.equal(who.status, 200);
  assert.equal(who.body.email, 'alice@idp.test');
  assert.deepEqual([...who.body.roles].sort(), ['analyst', 'pilot']);
  const [row] = await users('alice@idp.test');
  assert.equal(row!.oidc_issuer, idp.issuer);
  assert.equal(row!.oidc_subject, 'alice-sub');
  assert.equal(row!.password_hash, null);
  const audit = await eventually(async () => (await ts.db.ownerPool.query<{ details: Record<string, unknown> }>(
    `SELECT details FROM audit_events WHERE action = 'auth.login' AND target = $1`, [row!.id])).rows[0]);
  assert.equal(audit.details.method, 'oidc');
  assert.equal(audit.details.account, 'created');
});

test('the provider stays authoritative for roles: the next sign-in takes its new roles', async () => {
  idp.signInAs('bob-sub', claims('bob@idp.test', 'operator'));
  assert.equal((await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`)).status, 302);
  idp.signInAs('bob-sub', claims('bob@idp.test', 'auditor executive'));
  const browser = new TestBrowser(ts.baseUrl);
  assert.equal((await browser.visit(`${ts.baseUrl}/v1/auth/oidc/login`)).status, 302);
  assert.deepEqual([...(await me(browser)).body.roles].sort(), ['auditor', 'executive']);
  assert.equal((await users('bob@idp.test')).length, 1);
});

test('a claim naming no Skyguard role refuses the sign-in and writes nothing', async () => {
  idp.signInAs('carol-sub', claims('carol@idp.test', ['guest']));
  const browser = new TestBrowser(ts.baseUrl);
  const res = await browser.visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { code: string }).code, 'OIDC_NO_ROLE');
  assert.equal(browser.cookie(ts.baseUrl, 'sg_session'), undefined);
  assert.deepEqual(await users('carol@idp.test'), []);
});

test('an existing account is linked only when the provider vouches for the email', async () => {
  const local = await ts.createUser(['procurement']);
  idp.signInAs('dave-unverified', claims(local.email, ['procurement'], { email_verified: false }));
  const refused = await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(refused.status, 409);
  assert.equal(((await refused.json()) as { code: string }).code, 'OIDC_ACCOUNT_CONFLICT');
  assert.equal((await users(local.email))[0]!.oidc_subject, null);

  idp.signInAs('dave-sub', claims(local.email, ['procurement']));
  const browser = new TestBrowser(ts.baseUrl);
  assert.equal((await browser.visit(`${ts.baseUrl}/v1/auth/oidc/login`)).status, 302);
  const [row] = await users(local.email);
  assert.equal(row!.id, local.id);
  assert.equal(row!.oidc_subject, 'dave-sub');
  assert.notEqual(row!.password_hash, null, 'the password still works');

  // A second identity claiming the same (linked) account is refused.
  idp.signInAs('mallory-sub', claims(local.email, ['admin']));
  assert.equal((await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`)).status, 409);
  assert.deepEqual((await users(local.email))[0]!.roles, ['procurement']);
});

test('a disabled account cannot sign in through the provider', async () => {
  idp.signInAs('erin-sub', claims('erin@idp.test', ['pilot']));
  assert.equal((await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`)).status, 302);
  await ts.db.ownerPool.query(`UPDATE users SET disabled = true WHERE email = 'erin@idp.test'`);
  idp.signInAs('erin-sub', claims('erin@idp.test', ['pilot']));
  const res = await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { code: string }).code, 'ACCOUNT_DISABLED');
});

test('a tenant the provider names but that does not exist here is refused', async () => {
  idp.signInAs('frank-sub', claims('frank@idp.test', ['pilot'], { skyguard_tenant: 'no-such-tenant' }));
  const res = await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { code: string }).code, 'OIDC_NO_TENANT');
  assert.deepEqual(await users('frank@idp.test'), []);
});

test('the provider refusing the sign-in is reported; a browser is sent to the sign-in page with the reason', async () => {
  idp.refuseNext('user cancelled');
  const api = await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(api.status, 401);
  const problem = (await api.json()) as { code: string; detail: string };
  assert.equal(problem.code, 'OIDC_LOGIN_REFUSED');
  assert.match(problem.detail, /access_denied: user cancelled/);

  idp.refuseNext('user cancelled');
  const page = await new TestBrowser(ts.baseUrl, 'text/html').visit(`${ts.baseUrl}/v1/auth/oidc/login`);
  assert.equal(page.status, 302);
  assert.match(page.headers.get('location')!, /^\/login\?oidcError=OIDC_LOGIN_REFUSED&message=/);
});

test('a callback without, with a forged or with another browser\'s sign-in cookie is refused', async () => {
  const callback = `${ts.baseUrl}/v1/auth/oidc/callback?code=abc&state=def&iss=${encodeURIComponent(idp.issuer)}`;
  const none = await fetch(callback);
  assert.equal(none.status, 400);
  assert.equal(((await none.json()) as { code: string }).code, 'OIDC_LOGIN_STATE_INVALID');
  const forged = await fetch(callback, { headers: { cookie: `sg_oidc=${'A'.repeat(60)}` } });
  assert.equal(forged.status, 400);

  // Login CSRF: the attacker signs in at the provider and hands the callback URL to a victim whose
  // browser has a sign-in of its own under way. The victim's cookie does not match it.
  idp.signInAs('mallory-sub', claims('mallory@idp.test', ['admin']));
  const attacker = new TestBrowser(ts.baseUrl);
  const attackersCallback = await attacker.callbackUrl(`${ts.baseUrl}/v1/auth/oidc/login`);
  const victim = new TestBrowser(ts.baseUrl);
  await victim.request(`${ts.baseUrl}/v1/auth/oidc/login`);
  const res = await victim.visit(attackersCallback);
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { code: string }).code, 'OIDC_LOGIN_REFUSED');
  assert.equal(victim.cookie(ts.baseUrl, 'sg_session'), undefined);
  assert.deepEqual(await users('mallory@idp.test'), []);
  // The refusal was the browser binding: in the attacker's own browser the same callback completes.
  assert.equal((await attacker.visit(attackersCallback)).status, 302);
});

test('a sign-in that comes back after more than 10 minutes must start again', async () => {
  idp.signInAs('ivy-sub', claims('ivy@idp.test', ['pilot']));
  const browser = new TestBrowser(ts.baseUrl);
  const callback = await browser.callbackUrl(`${ts.baseUrl}/v1/auth/oidc/login`);
  ts.clock.advance(11 * 60_000);
  const res = await browser.visit(callback);
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { detail: string }).detail, /longer than 10 minutes/);
  assert.deepEqual(await users('ivy@idp.test'), []);
});

test('only same-app paths are accepted as the destination after sign-in', async () => {
  for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
    idp.signInAs('gina-sub', claims('gina@idp.test', ['pilot']));
    const res = await new TestBrowser(ts.baseUrl).visit(`${ts.baseUrl}/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/');
  }
});

test('without the roles claim, an existing account keeps its roles and a new one gets the default roles', async () => {
  const tenant = (await ts.db.ownerPool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [ts.demo.tenant])).rows[0]!;
  const identity = { issuer: idp.issuer, subject: 'henry-sub', email: 'henry@idp.test', emailVerified: true, name: 'Henry', tenantSlug: ts.demo.tenant, roles: undefined };
  await assert.rejects(withTenant(ts.db.appPool, { tenantId: tenant.id }, (db) => signInOidcAccount(db, tenant.id, identity, [])),
    (e: unknown) => e instanceof AppError && e.code === 'OIDC_NO_ROLE');
  const created = await withTenant(ts.db.appPool, { tenantId: tenant.id }, (db) => signInOidcAccount(db, tenant.id, identity, ['pilot']));
  assert.equal(created.how, 'created');
  assert.deepEqual(created.user.roles, ['pilot']);
  await ts.db.ownerPool.query(`UPDATE users SET roles = '{analyst}' WHERE id = $1`, [created.user.id]);
  const again = await withTenant(ts.db.appPool, { tenantId: tenant.id }, (db) => signInOidcAccount(db, tenant.id, identity, ['pilot']));
  assert.equal(again.how, 'known');
  assert.deepEqual(again.user.roles, ['analyst']);
});
