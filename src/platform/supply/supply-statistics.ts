import type { Pool } from '../db/pool.js';

/**
 * Refreshes the planner's statistics of the supply tables after a bulk load (see migration 0008 for
 * why: stale statistics turned the risk loader's joins quadratic right after the demo seed).
 */
export async function refreshSupplyStatistics(pool: Pool): Promise<void> {
  await pool.query('SELECT skyguard_private.refresh_supply_statistics()');
}
