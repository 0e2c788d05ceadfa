import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { LazyBoundLogger } from './authentication.js';
import type { Principal } from '../../platform/authn/principal.js';

const principal: Principal = {
  tenantId: 't1', tenantSlug: 'acme', actorType: 'api_key', userId: 'u1', email: 'ops@acme.test', displayName: 'Ops', roles: ['operator'],
  permissions: new Set(), authMethod: 'api_key', apiKeyId: 'k1', apiKeyPublicId: 'pub1',
};

function capture(level: string): { log: FastifyBaseLogger; lines: Record<string, unknown>[]; children: () => number } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  const request = pino({ level }, sink).child({ reqId: 'r1' });
  let made = 0;
  // Count children made anywhere below the request logger (pino children inherit this method).
  const child: typeof request.child = Reflect.get(request, 'child');
  request.child = function (this: typeof request, ...args: Parameters<typeof child>): ReturnType<typeof child> {
    made++;
    return child.apply(this, args);
  } as typeof request.child;
  return { log: request, lines, children: () => made };
}

test('nothing is bound while nothing is written at an enabled level', () => {
  const c = capture('warn');
  const log = new LazyBoundLogger(c.log, principal);
  log.info('request completed');
  log.debug({ a: 1 }, 'detail');
  log.silent();
  assert.equal(c.children(), 0);
  assert.equal(c.lines.length, 0);
  assert.equal(log.level, 'warn');
});

test('every line written names tenant, actor and auth method, and the request id it inherits', () => {
  const c = capture('info');
  const log = new LazyBoundLogger(c.log, principal);
  log.info({ route: '/v1/me' }, 'request completed');
  log.error('boom %s', 'x');
  assert.equal(c.children(), 1, 'bound once, reused');
  log.child({ step: 'db' }).warn('slow');
  assert.deepEqual(c.lines.map((l) => [l.reqId, l.tenant, l.actor, l.auth, l.msg]), [
    ['r1', 'acme', 'key pub1 of ops@acme.test', 'api_key', 'request completed'],
    ['r1', 'acme', 'key pub1 of ops@acme.test', 'api_key', 'boom x'],
    ['r1', 'acme', 'key pub1 of ops@acme.test', 'api_key', 'slow'],
  ]);
  assert.equal(c.lines[0]!.route, '/v1/me');
  assert.equal(c.lines[2]!.step, 'db');
});

test('raising the level through the request logger binds and applies it', () => {
  const c = capture('warn');
  const log = new LazyBoundLogger(c.log, principal);
  log.level = 'debug';
  log.debug('now visible');
  assert.equal(c.lines.length, 1);
  assert.equal(c.lines[0]!.tenant, 'acme');
});
