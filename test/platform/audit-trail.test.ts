import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { withTenant } from '../../src/platform/db/with-tenant.js';
import { appendAuditEvents } from '../../src/platform/audit/audit-chain.js';
import { BufferedAuditWriter } from '../../src/platform/audit/audit-writer.js';
import { loadSigningKey, writeCheckpoints } from '../../src/platform/audit/audit-checkpoint.js';
import { verifyTenantChain } from '../../src/platform/audit/audit-verify.js';
import { digestOf, recordPrediction } from '../../src/platform/audit/prediction-recorder.js';
import { createTenant, type Tenant } from '../../src/platform/accounts/tenant-admin.js';
import type { AuditEventInput } from '../../src/platform/audit/audit-event.js';

let db: TestDatabase;
let tenant: Tenant;
const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
const otherKey = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

const event = (tenantId: string, i: number): AuditEventInput => ({
  tenantId, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorType: 'user', actorId: 'u1', actorLabel: 'a@b.c',
  authMethod: 'session', requestId: `r${i}`, ip: '127.0.0.1', method: 'GET', route: '/v1/users', status: 200, latencyMs: 1.25 + i,
  action: 'request', details: { i, note: 'ünïcødé "quoted"', nested: { b: 2, a: [1, null, true] } },
});

before(async () => {
  db = await createTestDatabase();
  tenant = await createTenant(db.ownerPool, 'audited', 'Audited');
  await withTenant(db.appPool, { tenantId: tenant.id }, (c) => appendAuditEvents(c, tenant.id, Array.from({ length: 20 }, (_, i) => event(tenant.id, i))));
});
after(() => db.drop());

test('an untouched chain verifies, with signed checkpoints', async () => {
  assert.equal(await writeCheckpoints(db.appPool, key, new Date()), 1);
  assert.equal(await writeCheckpoints(db.appPool, key, new Date()), 0, 'no new checkpoint while the head has not moved');
  const r = await verifyTenantChain(db.appPool, tenant.id, key.publicKey);
  assert.deepEqual({ ok: r.ok, events: r.events, checkpoints: r.checkpoints }, { ok: true, events: 20, checkpoints: 1 });
});

test('the runtime role cannot update, delete or truncate audit rows', async () => {
  for (const sql of ['UPDATE audit_events SET action = $2 WHERE tenant_id = $1', 'DELETE FROM audit_events WHERE tenant_id = $1 AND $2 = $2']) {
    await assert.rejects(withTenant(db.appPool, { tenantId: tenant.id }, (c) => c.query(sql, [tenant.id, 'x'])), /permission denied|append-only/);
  }
  await assert.rejects(withTenant(db.appPool, { tenantId: tenant.id }, (c) => c.query('TRUNCATE audit_events')), /permission denied|append-only/);
});

test('even the owner is stopped by the append-only trigger', async () => {
  await assert.rejects(db.ownerPool.query(`UPDATE audit_events SET action = 'x' WHERE tenant_id = $1`, [tenant.id]), /append-only/);
});

test('concurrent appenders never fork the sequence', async () => {
  const t = await createTenant(db.ownerPool, 'busy', 'Busy');
  const writer = new BufferedAuditWriter(db.appPool, { flushIntervalMs: 5, batchSize: 7 });
  await Promise.all(Array.from({ length: 10 }, async (_, w) => {
    for (let i = 0; i < 10; i++) {
      writer.record(event(t.id, w * 10 + i));
      await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, [event(t.id, 1000 + w * 10 + i)]));
    }
  }));
  await writer.close();
  const r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.equal(r.ok, true, JSON.stringify(r.firstProblem));
  assert.equal(r.events, 200);
});

test('model predictions go through the same chain', async () => {
  const t = await createTenant(db.ownerPool, 'models', 'Models');
  await withTenant(db.appPool, { tenantId: t.id }, (c) => recordPrediction(c, {
    tenantId: t.id, model: 'flight-anomaly', version: '1.0.0', inputDigest: digestOf('flight-bytes'),
    inputSummary: { windows: 12 }, output: { anomalies: 1, score: 0.82 }, target: 'flight:1',
  }, new Date()));
  const { rows } = await withTenant(db.appPool, { tenantId: t.id }, (c) => c.query('SELECT action, actor_type, details FROM audit_events'));
  assert.equal(rows[0].action, 'model.prediction');
  assert.equal(rows[0].actor_type, 'system');
  assert.equal(rows[0].details.inputDigest, digestOf('flight-bytes'));
  assert.equal((await verifyTenantChain(db.appPool, t.id, key.publicKey)).ok, true);
});

/** Tampering needs the owner with the trigger switched off — what an attacker with DB access would do. */
async function asOwnerWithoutTriggers(sql: string, params: unknown[]): Promise<void> {
  const c = await db.ownerPool.connect();
  try {
    await c.query('BEGIN');
    await c.query("SET LOCAL session_replication_role = 'replica'");
    await c.query(sql, params);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

test('verify names the first tampered event: changed content', async () => {
  const t = await createTenant(db.ownerPool, 'tamper-content', 'T');
  await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, Array.from({ length: 10 }, (_, i) => event(t.id, i))));
  await asOwnerWithoutTriggers(`UPDATE audit_events SET status = 403 WHERE tenant_id = $1 AND seq = 7`, [t.id]);
  const r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.equal(r.ok, false);
  assert.equal(r.firstProblem!.seq, 7);
  assert.match(r.firstProblem!.reason, /content changed/);
});

test('verify catches a re-hashed rewrite through the next link, and a rewritten tail through the checkpoint', async () => {
  const t = await createTenant(db.ownerPool, 'tamper-rehash', 'T');
  await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, Array.from({ length: 5 }, (_, i) => event(t.id, i))));
  await writeCheckpoints(db.appPool, key, new Date());
  // The attacker recomputes the hash of the row they changed, so the row alone looks consistent…
  await asOwnerWithoutTriggers(`UPDATE audit_events SET hash = repeat('a', 64) WHERE tenant_id = $1 AND seq = 3`, [t.id]);
  let r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.equal(r.firstProblem!.seq, 3);
  // …and deleting the tail is caught by the signed checkpoint.
  const t2 = await createTenant(db.ownerPool, 'tamper-tail', 'T');
  await withTenant(db.appPool, { tenantId: t2.id }, (c) => appendAuditEvents(c, t2.id, Array.from({ length: 5 }, (_, i) => event(t2.id, i))));
  await writeCheckpoints(db.appPool, key, new Date());
  await asOwnerWithoutTriggers(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq >= 4`, [t2.id]);
  r = await verifyTenantChain(db.appPool, t2.id, key.publicKey);
  assert.equal(r.ok, false);
  assert.match(r.firstProblem!.reason, /missing/);
});

test('a checkpoint signed by another key is rejected', async () => {
  const t = await createTenant(db.ownerPool, 'forged', 'F');
  await withTenant(db.appPool, { tenantId: t.id }, (c) => appendAuditEvents(c, t.id, [event(t.id, 1)]));
  await writeCheckpoints(db.appPool, otherKey, new Date());
  const r = await verifyTenantChain(db.appPool, t.id, key.publicKey);
  assert.match(r.firstProblem!.reason, /signature invalid/);
});
