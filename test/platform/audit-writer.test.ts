import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { appendAuditEvents } from '../../src/platform/audit/audit-chain.js';
import { BufferedAuditWriter } from '../../src/platform/audit/audit-writer.js';
import { loadSigningKey, writeCheckpoints } from '../../src/platform/audit/audit-checkpoint.js';
import { verifyTenantChain } from '../../src/platform/audit/audit-verify.js';
import { canonicalJson } from '../../src/platform/audit/canonical-json.js';
import { hashedFields } from '../../src/platform/audit/audit-event-text.js';
import { createTenant } from '../../src/platform/accounts/tenant-admin.js';
import { GENESIS_HASH, type AuditEvent, type AuditEventInput } from '../../src/platform/audit/audit-event.js';

let db: TestDatabase;
const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

before(async () => {
  db = await createTestDatabase();
});
after(() => db.drop());

const request = (tenantId: string, i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  tenantId, occurredAt: new Date(Date.UTC(2026, 10, 21, 0, 0, 0, i)), actorType: 'api_key', actorId: 'k1', actorLabel: 'bench',
  authMethod: 'api_key', requestId: `r${i}`, ip: '127.0.0.1', method: 'GET', route: '/v1/me', status: 200, latencyMs: 0.5 + i / 7,
  action: 'request', ...extra,
});

test('hostile text (NUL, lone surrogates, control characters, oversized headers) is stored and still verifies', async () => {
  const t = await createTenant(db.ownerPool, 'hostile', 'Hostile');
  const writer = new BufferedAuditWriter(db.appPool, { flushIntervalMs: 5 });
  writer.record(request(t.id, 1, { userAgent: `${'u'.repeat(1023)}😀 and more`, target: 'a\u0000b', details: { note: 'x\ud800y', ctl: '\u0001\n\t"\\', when: new Date(0) } }));
  writer.record(request(t.id, 2, { userAgent: '\udfff', actorLabel: '\u2028é😀', details: { nested: [{ k: '\u0000' }], big: 1e21, tiny: 1e-7 } }));
  for (let i = 3; i < 40; i++) writer.record(request(t.id, i));
  await writer.close();
  assert.equal(writer.pending, 0);
  const r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.deepEqual({ ok: r.ok, events: r.events, problem: r.firstProblem }, { ok: true, events: 39, problem: null });
  const { rows } = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query('SELECT user_agent, target, details FROM audit_events ORDER BY seq LIMIT 2'));
  assert.equal(rows[0].user_agent.length, 1024);
  assert.ok(rows[0].user_agent.endsWith('u\ufffd'), 'the emoji cut in half is replaced, not stored half');
  assert.equal(rows[0].target, 'ab');
  assert.deepEqual(rows[0].details, { note: 'x\ufffdy', ctl: '\u0001\n\t"\\', when: '1970-01-01T00:00:00.000Z' });
  assert.equal(rows[1].user_agent, '\ufffd');
  assert.deepEqual(rows[1].details, { nested: [{ k: '' }], big: 1e21, tiny: 1e-7 });
});

test('a chain written by the earlier row format keeps verifying when new events are appended to it', async () => {
  const t = await createTenant(db.ownerPool, 'legacy', 'Legacy');
  // Events as the first release stored them: hash over canonicalJson(hashedFields), rows inserted one by one.
  let prev = GENESIS_HASH;
  await withTenant(db.appPool, { tenantId: t.id }, async (c) => {
    for (let seq = 1; seq <= 3; seq++) {
      const base: Omit<AuditEvent, 'hash'> = {
        tenantId: t.id, seq, id: randomUUID(), occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), actorType: 'user',
        actorId: 'u1', actorLabel: 'a@b.c', authMethod: 'session', requestId: `old${seq}`, traceId: null, ip: '10.0.0.1', userAgent: 'curl',
        method: 'POST', route: '/v1/users', status: 201, latencyMs: 3.25, action: 'user.created', target: 'x', details: { z: 1, a: { c: [1, 'two'], b: null } }, prevHash: prev,
      };
      const hash = createHash('sha256').update(canonicalJson(hashedFields(base))).digest('hex');
      await c.query(
        `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, actor_label, auth_method, request_id, trace_id, ip,
           user_agent, method, route, status, latency_ms, action, target, details, prev_hash, hash)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
        [t.id, seq, base.id, base.occurredAt, base.actorType, base.actorId, base.actorLabel, base.authMethod, base.requestId, base.traceId, base.ip,
          base.userAgent, base.method, base.route, base.status, base.latencyMs, base.action, base.target, JSON.stringify(base.details), prev, hash],
      );
      prev = hash;
    }
    await c.query('INSERT INTO audit_chain_heads (tenant_id, seq, hash) VALUES ($1, 3, $2)', [t.id, prev]);
  });
  await writeCheckpoints(db.appPool, key, new Date());
  const appended = await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, [request(t.id, 1), request(t.id, 2)]));
  assert.deepEqual({ appended: appended.appended, seq: appended.head?.seq }, { appended: 2, seq: 5 });
  const r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.deepEqual({ ok: r.ok, events: r.events, checkpoints: r.checkpoints }, { ok: true, events: 5, checkpoints: 1 });
  const link = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query('SELECT prev_hash FROM audit_events WHERE seq = 4'));
  assert.equal(link.rows[0].prev_hash, prev);
});

test('appending nothing touches nothing, and an event for another tenant is refused before any write', async () => {
  const t = await createTenant(db.ownerPool, 'strict', 'Strict');
  const other = await createTenant(db.ownerPool, 'other', 'Other');
  assert.deepEqual(await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, [])), { appended: 0, head: null });
  await assert.rejects(withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, [request(t.id, 1), request(other.id, 2)])), /another tenant/);
  const { rows } = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query('SELECT count(*)::int AS n FROM audit_events'));
  assert.equal(rows[0].n, 0);
});
