import type { Queryable } from '../db/pool.js';
import { itemDetail, type ItemDetail } from '../../supply/portfolio/part-detail.js';
import { prepareRun } from '../../supply/portfolio/portfolio-scorer.js';
import { SUPPLY_RISK_ENGINE_VERSION } from '../../supply/portfolio/portfolio-input.js';
import type { Criticality } from '../../supply/policy/inventory-policy.js';
import { SupplyRiskError } from '../../supply/risk/supply-risk-error.js';
import { loadPortfolio } from './risk-input.loader.js';
import { historyOfPart, scoresOfPart, type HistoryRow, type PartRow, type RankedRow } from './risk-query.repository.js';
import { listAlerts, type AlertRow } from './risk-alert.repository.js';

export interface LocationDetail {
  readonly locationId: string;
  readonly locationCode: string;
  readonly supplierId: string | null;
  readonly stock: { readonly onHand: number; readonly reserved: number; readonly onOrder: number; readonly reorderPoint: number | null };
  /** The last stored score (what lists and alerts are based on); null before the first run. */
  readonly stored: RankedRow | null;
  /** Recomputed now from the current data: either the detail or the engine's refusal. */
  readonly live: ({ readonly status: 'scored' } & ItemDetail) | { readonly status: 'refused'; readonly code: string; readonly field: string; readonly rule: string };
  readonly history: readonly HistoryRow[];
}

export interface PartDetail {
  readonly part: PartRow;
  readonly engineVersion: string;
  readonly computedAt: Date;
  readonly locations: readonly LocationDetail[];
  readonly openAlerts: readonly AlertRow[];
  /** Events that were refused by validation and therefore left out of the lead times. */
  readonly rejectedEvents: readonly { eventId: string; field: string; rule: string }[];
}

const HISTORY_POINTS = 60;

/**
 * A part's risk at every location it is stocked, recomputed from the current data with the engine
 * the bulk runs use (so the explanation sums to the same score a run would store), next to the
 * stored score and its history. `locationId` narrows it to one location. Read-only: nothing is stored.
 */
export async function partDetail(db: Queryable, part: PartRow, now: Date, locationId?: string): Promise<PartDetail> {
  const loaded = await loadPortfolio(db, now, { kind: 'part', partId: part.id });
  const run = prepareRun(loaded.input);
  const stored = new Map((await scoresOfPart(db, part.id)).map((r) => [r.location_id, r]));
  const history = await historyOfPart(db, part.id, HISTORY_POINTS);
  const { rows: stock } = await db.query<{ location_id: string; code: string; on_hand: number; reserved: number; on_order: number }>(
    `SELECT s.location_id, l.code, s.on_hand, s.reserved, s.on_order FROM stock_levels s JOIN locations l ON l.id = s.location_id WHERE s.part_id = $1`,
    [part.id],
  );
  const stockOf = new Map(stock.map((s) => [s.location_id, s]));
  const locations: LocationDetail[] = [];
  for (let i = 0; i < loaded.partIds.length; i++) {
    const loc = loaded.locationIds[i]!;
    if (locationId !== undefined && loc !== locationId) continue;
    const s = stockOf.get(loc)!;
    let live: LocationDetail['live'];
    try {
      live = {
        status: 'scored',
        ...itemDetail(loaded.input, run, i, part.id, { criticality: loaded.criticality[i] as Criticality, reorderPoint: loaded.reorderPoint[i] ?? null }),
      };
    } catch (e) {
      if (!(e instanceof SupplyRiskError)) throw e;
      live = { status: 'refused', code: e.code, field: e.field, rule: e.rule };
    }
    const sup = loaded.input.items.supplier[i]!;
    locations.push({
      locationId: loc,
      locationCode: s.code,
      supplierId: sup >= 0 ? loaded.supplierIds[sup]! : null,
      stock: { onHand: s.on_hand, reserved: s.reserved, onOrder: s.on_order, reorderPoint: loaded.reorderPoint[i] ?? null },
      stored: stored.get(loc) ?? null,
      live,
      history: history.filter((h) => h.location_id === loc),
    });
  }
  locations.sort((a, b) => a.locationCode.localeCompare(b.locationCode));
  const openAlerts = await listAlerts(db, { status: 'unresolved', partId: part.id, limit: 100 });
  return { part, engineVersion: SUPPLY_RISK_ENGINE_VERSION, computedAt: now, locations, openAlerts, rejectedEvents: run.rejectedEvents };
}
