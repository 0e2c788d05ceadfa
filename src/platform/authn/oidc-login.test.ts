import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createOidcLogin } from './oidc-login.js';
import { AppError } from '../../shared/app-error.js';
import type { OidcConfig } from '../../config/config.js';

const config = (issuer: string): OidcConfig => ({
  issuer, clientId: 'skyguard', clientSecret: undefined, redirectUrl: 'http://localhost:8080/v1/auth/oidc/callback', scopes: 'openid email',
  tenant: 'demo', tenantClaim: undefined, rolesClaim: 'roles', defaultRoles: [], label: 'SSO',
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test('a provider that cannot be reached fails the sign-in with 502, and is tried again next time', async () => {
  const login = createOidcLogin(config(`http://127.0.0.1:${await closedPort()}`), 'x'.repeat(32));
  for (let i = 0; i < 2; i++) {
    await assert.rejects(login.begin('/', new Date()), (e: unknown) => e instanceof AppError && e.status === 502 && e.code === 'OIDC_PROVIDER_UNAVAILABLE');
  }
});

test('a sign-in cookie that is missing or forged is refused before the provider is asked', async () => {
  const login = createOidcLogin(config('http://127.0.0.1:1'), 'x'.repeat(32));
  const callback = new URL('http://localhost:8080/v1/auth/oidc/callback?code=c&state=s');
  for (const cookie of [undefined, '', 'not-base64-!!', 'A'.repeat(80)]) {
    await assert.rejects(login.complete(callback, cookie, new Date()), (e: unknown) => e instanceof AppError && e.code === 'OIDC_LOGIN_STATE_INVALID');
  }
});
