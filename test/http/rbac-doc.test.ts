import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { OIDC_ROUTES_ONLY_ENV } from '../support/oidc-test-provider.js';
import { renderRbacDoc } from '../../src/platform/authz/rbac-doc.js';

const docPath = join(import.meta.dirname, '..', '..', 'docs', 'security', 'rbac.md');
let ts: TestServer;
before(async () => {
  ts = await startTestServer({ env: OIDC_ROUTES_ONLY_ENV });
});
after(() => ts.close());

test('docs/security/rbac.md matches the matrix and the route table in code', async () => {
  const expected = renderRbacDoc(ts.server.app.routeAccess.filter((r) => r.url.startsWith('/v1/')));
  if (process.env.UPDATE_RBAC_DOC) await writeFile(docPath, expected);
  assert.equal(await readFile(docPath, 'utf8'), expected, 'stale: run `npm run docs:rbac`');
});
