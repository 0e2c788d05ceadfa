import { Type } from 'typebox';
import type { AlertRow } from '../../../platform/supply-risk/risk-alert.repository.js';
import type { RankedRow } from '../../../platform/supply-risk/risk-query.repository.js';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
export const Level = Type.Union([Type.Literal('low'), Type.Literal('moderate'), Type.Literal('high'), Type.Literal('critical')]);
const ByLevel = Type.Object({ low: Type.Integer(), moderate: Type.Integer(), high: Type.Integer(), critical: Type.Integer() });

/** One row of the ranked risk list (a part at a location, as last stored). */
export const RiskItemView = Type.Object({
  partId: Type.String(), partNumber: Type.String(), description: Type.String(), category: NullableStr, criticality: Type.String(),
  locationId: Type.String(), locationCode: Type.String(),
  supplier: Type.Union([Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), country: Type.String(), region: NullableStr }), Type.Null()]),
  status: Type.Union([Type.Literal('scored'), Type.Literal('refused')]),
  score: NullableNum, level: Type.Union([Level, Type.Null()]), levelState: Level,
  stockoutProbability: NullableNum, expectedExposure: NullableNum, conditionalExposure: NullableNum, expectedAogDays: NullableNum,
  meanLeadTimeDays: NullableNum, meanLeadTimeDemand: NullableNum, demandPerPeriod: NullableNum, eventAffected: Type.Boolean(),
  stock: Type.Union([Type.Object({ onHand: Type.Integer(), reserved: Type.Integer(), onOrder: Type.Integer() }), Type.Null()]),
  refusal: Type.Union([Type.Object({ code: Type.String(), field: NullableStr, rule: NullableStr }), Type.Null()]),
  engineVersion: Type.String(), inputDigest: Type.String(), runId: Type.String(), scoredAt: DateTime,
});

export function riskItemView(r: RankedRow) {
  return {
    partId: r.part_id, partNumber: r.part_number, description: r.description, category: r.category, criticality: r.criticality,
    locationId: r.location_id, locationCode: r.location_code,
    supplier: r.supplier_id ? { id: r.supplier_id, code: r.supplier_code!, name: r.supplier_name!, country: r.supplier_country!, region: r.supplier_region } : null,
    status: r.status, score: r.score, level: r.level as 'low' | null, levelState: r.level_state as 'low',
    stockoutProbability: r.stockout_probability, expectedExposure: r.expected_exposure, conditionalExposure: r.conditional_exposure,
    expectedAogDays: r.expected_aog_days, meanLeadTimeDays: r.mean_lead_time_days, meanLeadTimeDemand: r.mean_lead_time_demand,
    demandPerPeriod: r.demand_per_period, eventAffected: r.event_affected,
    stock: r.on_hand === null ? null : { onHand: r.on_hand, reserved: r.reserved!, onOrder: r.on_order! },
    refusal: r.status === 'refused' ? { code: r.refusal_code ?? 'SUPPLY_RISK_INVALID_INPUT', field: r.refusal_field, rule: r.refusal_rule } : null,
    engineVersion: r.engine_version, inputDigest: r.input_digest, runId: r.run_id, scoredAt: r.scored_at.toISOString(),
  };
}

export const GroupView = Type.Object({
  key: NullableStr, label: NullableStr, country: Type.Optional(NullableStr), items: Type.Integer(), byLevel: ByLevel,
  expectedExposure: Num, concurrentUpperBound: Num, cappedFleets: Type.Integer(),
});
const Breakdown = Type.Object({ groups: Type.Array(GroupView), totalGroups: Type.Integer(), truncated: Type.Boolean() });

export const SummaryView = Type.Object({
  engineVersion: Type.String(),
  lastRun: Type.Union([Type.Object({ id: Type.String(), kind: Type.String(), startedAt: DateTime, finishedAt: Type.Union([DateTime, Type.Null()]), items: Type.Integer() }), Type.Null()]),
  lastFullRun: Type.Union([Type.Object({ id: Type.String(), startedAt: DateTime, items: Type.Integer(), scored: Type.Integer(), refused: Type.Integer(), durationMs: NullableNum }), Type.Null()]),
  total: Type.Object({ items: Type.Integer(), refused: Type.Integer(), byLevel: ByLevel, expectedExposure: Num, concurrentUpperBound: Num, cappedFleets: Type.Integer() }),
  breakdowns: Type.Object({
    level: Breakdown, criticality: Breakdown, category: Breakdown, region: Breakdown, country: Breakdown, supplier: Breakdown, location: Breakdown,
  }),
  trend: Type.Array(Type.Object({ runId: Type.String(), at: DateTime, items: Type.Integer(), expectedExposure: NullableNum, concurrentUpperBound: NullableNum, byLevel: Type.Union([ByLevel, Type.Null()]) })),
  currency: Type.Literal('USD'),
  assumptions: Type.Array(Type.String()),
});

export const AlertView = Type.Object({
  id: Type.String(), partId: Type.String(), partNumber: Type.String(), locationId: Type.String(), locationCode: Type.String(),
  level: Level, previousLevel: Level, dedupeKey: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
  score: Num, stockoutProbability: Num, expectedExposure: Num, reason: Type.String(),
  trigger: Type.String(), triggerRef: NullableStr, runId: Type.String(), raisedAt: DateTime,
  acknowledgedAt: Type.Union([DateTime, Type.Null()]), acknowledgedBy: NullableStr,
  resolvedAt: Type.Union([DateTime, Type.Null()]), resolvedBy: NullableStr, resolution: NullableStr, note: NullableStr,
});

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function alertView(a: AlertRow) {
  return {
    id: a.id, partId: a.part_id, partNumber: a.part_number, locationId: a.location_id, locationCode: a.location_code,
    level: a.level as 'high', previousLevel: a.previous_level as 'low', dedupeKey: a.dedupe_key, status: a.status as 'open',
    score: a.score, stockoutProbability: a.stockout_probability, expectedExposure: a.expected_exposure, reason: a.reason,
    trigger: a.trigger, triggerRef: a.trigger_ref, runId: a.run_id, raisedAt: a.raised_at.toISOString(),
    acknowledgedAt: iso(a.acknowledged_at), acknowledgedBy: a.acknowledged_by, resolvedAt: iso(a.resolved_at), resolvedBy: a.resolved_by,
    resolution: a.resolution, note: a.note,
  };
}
