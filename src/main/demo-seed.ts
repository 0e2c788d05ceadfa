import type { Pool } from '../platform/db/pool.js';
import { createTenant, createUserAsSystem, findTenant } from '../platform/accounts/tenant-admin.js';
import type { FieldCipher } from '../platform/crypto/field-cipher.js';
import { withTenant } from '../platform/db/with-tenant.js';
import { createDemoDataset } from '../supply/demo/index.js';
import { writeDemoToTenant } from './demo.commands.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import { enqueueFullRescore } from '../platform/supply-risk/risk-rescore.subscriber.js';

export const DEMO_TENANT = 'demo';
export const DEMO_EMAIL = 'admin@demo.skyguard.local';

/** Seeds the demo tenant and its administrator (also an auditor, so the audit viewer is reachable) once. */
export async function seedDemo(ownerPool: Pool, appPool: Pool, password: string, now: Date): Promise<{ tenant: string; email: string; password: string }> {
  const tenant = (await findTenant(ownerPool, DEMO_TENANT)) ?? (await createTenant(ownerPool, DEMO_TENANT, 'Demo Airline & MRO'));
  await createUserAsSystem(appPool, tenant, { email: DEMO_EMAIL, displayName: 'Demo Administrator', password, roles: ['admin', 'auditor'] }, now)
    .catch((e: { code?: string }) => {
      if (e.code !== 'EMAIL_TAKEN') throw e;
    });
  return { tenant: DEMO_TENANT, email: DEMO_EMAIL, password };
}

/** Size of the demo tenant's generated supply data (`npm start`). */
export const DEMO_SUPPLY = { parts: 5000, suppliers: 150, seed: 1 } as const;

/**
 * Gives the demo tenant a generated supply data set (parts, stock, suppliers, demand, deliveries,
 * fleet, risk events) once. Risk events are written last, so their presence marks a complete seed
 * and later starts skip it (user edits are left alone); a seed cut short is completed on the next
 * start (the writers upsert by natural key). Runs after the server listens, so start-up stays fast.
 * When `jobs` is given, a full risk re-score is queued after writing, so the demo's risk pages have
 * scores on first sign-in instead of waiting for the nightly run.
 */
export async function seedDemoSupply(
  ownerPool: Pool,
  appPool: Pool,
  cipher: FieldCipher,
  now: Date,
  jobs?: JobQueue,
): Promise<Record<string, number> | undefined> {
  const tenant = await findTenant(ownerPool, DEMO_TENANT);
  if (!tenant) return undefined;
  const tenantId = tenant.id;
  const has = await withTenant(appPool, { tenantId }, async (db) => (await db.query("SELECT 1 FROM risk_events WHERE source = 'demo' LIMIT 1")).rowCount! > 0);
  if (has) return undefined;
  const ds = createDemoDataset({ ...DEMO_SUPPLY, asOf: `${now.toISOString().slice(0, 7)}-01` });
  const rows = await writeDemoToTenant(appPool, tenantId, ds, cipher);
  if (jobs) await enqueueFullRescore(jobs, tenantId);
  return rows;
}
