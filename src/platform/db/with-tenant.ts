import type { Pool, PoolClient } from './pool.js';
import { transaction } from './pool.js';
import { inChildSpan } from '../telemetry/tracing.js';

/** The tenant a unit of work runs for. */
export interface TenantContext {
  readonly tenantId: string;
}

/** A client scoped to one tenant by row-level security, valid only inside `withTenant`. */
export type TenantClient = PoolClient & { readonly __tenantScoped: unique symbol };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way to reach tenant data. Opens a transaction, sets `app.tenant_id` transaction-locally
 * (`set_config(..., true)`, so a pooled connection can never carry one tenant's context into the next
 * request), and runs `fn`. The RLS policies on every tenant table key on that setting, so a query that
 * forgets a `WHERE tenant_id` still cannot see another tenant's rows.
 */
export async function withTenant<T>(pool: Pool, ctx: TenantContext, fn: (db: TenantClient) => Promise<T>): Promise<T> {
  if (!UUID.test(ctx.tenantId)) throw new Error(`withTenant: invalid tenant id ${JSON.stringify(ctx.tenantId)}`);
  // A traced request or job shows each of its tenant transactions (connection wait included) as a span.
  return inChildSpan('db.transaction', { 'db.system.name': 'postgresql', 'skyguard.tenant_id': ctx.tenantId }, () =>
    transaction(pool, async (client) => {
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [ctx.tenantId]);
      return fn(client as TenantClient);
    }));
}
