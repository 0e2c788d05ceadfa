import type { Pool } from '../platform/db/pool.js';
import { createTenant, createUserAsSystem, findTenant } from '../platform/accounts/tenant-admin.js';

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
