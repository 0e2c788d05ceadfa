import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, login, type TestServer } from '../support/test-server.js';
import { OIDC_ROUTES_ONLY_ENV } from '../support/oidc-test-provider.js';
import { ALL_ROLES, ROLES, type Permission } from '../../src/platform/authz/rbac.js';
import type { RouteAccess } from '../../src/http/fastify-types.js';

/**
 * Generated from the live route table: every route × every role × (own tenant, other tenant, no
 * credentials). A role without the route's permission gets 403; with it, anything but 401/403; a
 * resource of another tenant is invisible (404); no credentials → 401. A new route is covered the
 * moment it is registered — it needs only a sample request below if it takes an :id or a body.
 */
let ts: TestServer;
const ids: Record<string, { own: string; other: string }> = {};
const cookies = new Map<string, string>();
const roleUsers = new Map<string, { email: string; password: string }>();
/** Routes that end the caller's session(s): every role signs in afresh after calling them. */
const endsSessions = (url: string): boolean => url === '/v1/auth/logout' || url.startsWith('/v1/me/sessions');

/** A request that passes validation, so "allowed" really reaches the handler. */
function sample(route: RouteAccess, id: string): { url: string; body?: unknown } {
  const url = route.url.replace(':id', id);
  const bodies: Record<string, unknown> = {
    'POST /v1/auth/login': { tenant: 'demo', email: 'nobody@x.test', password: 'wrong' },
    'POST /v1/users': { email: `new-${Math.random().toString(36).slice(2)}@x.test`, displayName: 'N', password: 'a-long-password-1', roles: ['pilot'] },
    'PATCH /v1/users/:id': { displayName: 'Renamed' },
    'POST /v1/api-keys': { name: 'matrix', scopes: ['apikeys:read'] },
    'POST /v1/api-keys/:id/rotate': { graceSeconds: 0 },
  };
  const body = bodies[`${route.method} ${route.url}`];
  return body === undefined ? { url } : { url, body };
}

async function call(route: RouteAccess, cookie: string | undefined, id: string): Promise<number> {
  const s = sample(route, id);
  const res = await fetch(`${ts.baseUrl}${s.url}`, {
    method: route.method,
    headers: { ...(cookie ? { cookie } : {}), ...(s.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(s.body === undefined ? {} : { body: JSON.stringify(s.body) }),
  });
  await res.arrayBuffer();
  return res.status;
}

before(async () => {
  ts = await startTestServer({ env: OIDC_ROUTES_ONLY_ENV });
  const other = await ts.createTenant('other');
  const otherAdmin = await ts.createUser(['admin'], 'other');
  const otherCookie = await login(ts.baseUrl, 'other', otherAdmin.email, otherAdmin.password);
  void other;
  // Resources in the other tenant, to prove they are invisible (404) from this one.
  const otherKey = await (await fetch(`${ts.baseUrl}/v1/api-keys`, { method: 'POST', headers: { cookie: otherCookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'o', scopes: ['apikeys:read'] }) })).json() as { apiKey: { id: string } };
  ids.user = { own: '', other: otherAdmin.id };
  ids.key = { own: '', other: otherKey.apiKey.id };
  for (const role of ALL_ROLES) {
    const u = await ts.createUser([role]);
    roleUsers.set(role, u);
    cookies.set(role, await login(ts.baseUrl, ts.demo.tenant, u.email, u.password));
  }
});
after(() => ts.close());

function idsFor(url: string): { own: () => Promise<string>; other: string } | undefined {
  if (url.includes('/users/:id')) return { own: async () => (await ts.createUser(['pilot'])).id, other: ids.user!.other };
  if (url.includes('/api-keys/:id')) {
    return {
      own: async () => {
        const admin = await login(ts.baseUrl, ts.demo.tenant, ts.demo.email, ts.demo.password);
        const r = await (await fetch(`${ts.baseUrl}/v1/api-keys`, { method: 'POST', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'own', scopes: ['apikeys:read'] }) })).json() as { apiKey: { id: string } };
        return r.apiKey.id;
      },
      other: ids.key!.other,
    };
  }
  if (url.includes('/sessions/:id')) return { own: async () => '00000000-0000-4000-8000-000000000000', other: '00000000-0000-4000-8000-000000000001' };
  return undefined;
}

test('every route declares its access and the matrix holds for every role and tenant', async () => {
  const routes = ts.server.app.routeAccess.filter((r) => r.url.startsWith('/v1/'));
  assert.ok(routes.length >= 15, `only ${routes.length} routes found`);
  const failures: string[] = [];
  for (const route of routes) {
    const idSource = idsFor(route.url);
    const anonymous = await call(route, undefined, idSource?.other ?? 'x');
    if (route.access !== 'public' && anonymous !== 401) failures.push(`${route.method} ${route.url} anonymous → ${anonymous}, expected 401`);
    for (const role of ALL_ROLES) {
      const cookie = cookies.get(role)!;
      const allowed = route.access === 'public' || route.access === 'authenticated' || (ROLES[role].permissions as readonly Permission[]).includes(route.access);
      const own = await call(route, cookie, idSource ? await idSource.own() : 'x');
      // The public login route is called with wrong credentials on purpose: 401 is its honest answer.
      const refused = route.access === 'public' ? [403] : [401, 403];
      if (allowed && refused.includes(own)) failures.push(`${route.method} ${route.url} as ${role} (own) → ${own}, expected allowed`);
      if (!allowed && own !== 403) failures.push(`${route.method} ${route.url} as ${role} (own) → ${own}, expected 403`);
      if (idSource) {
        const other = await call(route, cookie, idSource.other);
        const expected = allowed ? 404 : 403;
        if (other !== expected) failures.push(`${route.method} ${route.url} as ${role} (other tenant) → ${other}, expected ${expected}`);
      }
      if (endsSessions(route.url)) {
        const u = roleUsers.get(role)!;
        cookies.set(role, await login(ts.baseUrl, ts.demo.tenant, u.email, u.password));
      }
    }
  }
  assert.deepEqual(failures, []);
});
