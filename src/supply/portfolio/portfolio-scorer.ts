import { createHash, hash } from 'node:crypto';
import type { DemandDistribution } from '../demand-distribution.js';
import { fitDemandDistribution } from '../forecast/methods.js';
import { eventDurationModels } from '../risk/event-duration-priors.js';
import { assessPartRisk, scoringContext, type PartRiskInput, type ScoringContext } from '../risk/part-risk.js';
import { RISK_LEVELS } from '../risk/risk-score.js';
import type { AogProfile, OnOrderLine, StockPosition } from '../risk/stockout.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';
import { checkEvents, LeadTimeTable, type LeadTimeEntry } from './lead-time-table.js';
import {
  DEFAULT_LEAD_TIME,
  DEFAULT_SPREAD_RATIO,
  SUPPLY_RISK_ENGINE_VERSION,
  type PortfolioInput,
  type PortfolioOptions,
} from './portfolio-input.js';

/** Per-item results, index-aligned with the items. `status` 1 = refused (see `errors`). */
export interface PortfolioScores {
  readonly count: number;
  readonly score: Float64Array;
  /** Index into RISK_LEVELS. */
  readonly level: Uint8Array;
  readonly stockoutProbability: Float64Array;
  readonly expectedExposure: Float64Array;
  /** Exposure if the stockout happens (for concurrent upper bounds). */
  readonly conditionalExposure: Float64Array;
  readonly expectedAogDays: Float64Array;
  readonly meanLeadTimeDays: Float64Array;
  readonly meanLeadTimeDemand: Float64Array;
  readonly demandPerPeriod: Float64Array;
  /** 1 when at least one risk event inflates the item's lead time. */
  readonly eventAffected: Uint8Array;
  readonly status: Uint8Array;
  /** 32 bytes per item: SHA-256 of everything the score was computed from. */
  readonly digest: Uint8Array;
}

export interface ItemError {
  readonly index: number;
  readonly code: string;
  readonly field: string;
  readonly rule: string;
}

export interface SliceReport {
  readonly scored: number;
  readonly errors: readonly ItemError[];
  readonly rejectedEvents: readonly { eventId: string; field: string; rule: string }[];
  readonly leadTimes: number;
}

export function allocateScores(count: number, shared = false): PortfolioScores {
  const buf = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const f = (): Float64Array => new Float64Array(buf(count * 8));
  const u = (n = 1): Uint8Array => new Uint8Array(buf(count * n));
  return {
    count,
    score: f(),
    level: u(),
    stockoutProbability: f(),
    expectedExposure: f(),
    conditionalExposure: f(),
    expectedAogDays: f(),
    meanLeadTimeDays: f(),
    meanLeadTimeDemand: f(),
    demandPerPeriod: f(),
    eventAffected: u(),
    status: u(),
    digest: u(32),
  };
}

/** Everything one scoring run shares: context, duration models, events, lead-time table. */
export interface ScoringRun {
  readonly ctx: ScoringContext;
  readonly table: LeadTimeTable;
  readonly rejectedEvents: readonly { eventId: string; field: string; rule: string }[];
  readonly options: PortfolioOptions;
}

/** Digest of the settings a run scores with; part of every item digest. */
export function settingsDigest(options: PortfolioOptions): Uint8Array {
  return createHash('sha256')
    .update(
      JSON.stringify({
        v: SUPPLY_RISK_ENGINE_VERSION,
        m: options.forecastMethod ?? 'auto',
        s: options.scoreParams ?? null,
        p: options.reliabilityPrior ?? null,
        w: options.weather ? [Array.from(options.weather.days), Array.from(options.weather.probs)] : null,
        d: options.defaultLeadTime ?? null,
        r: options.defaultSpreadRatio ?? null,
        dpp: options.daysPerPeriod ?? null,
      }),
    )
    .digest();
}

export function prepareRun(input: PortfolioInput, options: PortfolioOptions = {}): ScoringRun {
  const checked = checkEvents(input.events);
  const models = eventDurationModels(options.weather ? { weather: options.weather } : {});
  const table = new LeadTimeTable(
    input.suppliers,
    checked.events,
    input.now,
    models,
    options.reliabilityPrior,
    settingsDigest(options),
  );
  return { ctx: scoringContext(options.scoreParams, 'score'), table, rejectedEvents: checked.rejected, options };
}

/** The offer an item is scored on: quote, else nominal lead time, else the default. */
export function itemLeadTime(input: PortfolioInput, run: ScoringRun, i: number): LeadTimeEntry {
  const it = input.items;
  let mean = it.offerMeanDays[i]!;
  let sd = it.offerSdDays[i]!;
  if (!Number.isFinite(mean)) {
    const d = run.options.defaultLeadTime ?? DEFAULT_LEAD_TIME;
    mean = d.meanDays;
    sd = d.sdDays;
  } else if (!Number.isFinite(sd)) sd = mean * (run.options.defaultSpreadRatio ?? DEFAULT_SPREAD_RATIO);
  return run.table.entry(it.supplier[i]!, mean, sd);
}

/** Fits the item's demand distribution; throws SupplyRiskError on non-finite demand. */
export function itemDemand(input: PortfolioInput, run: ScoringRun, i: number): DemandDistribution {
  const it = input.items;
  const from = it.demandOffsets[i]!;
  const to = it.demandOffsets[i + 1]!;
  for (let k = from; k < to; k++) {
    const v = it.demand[k]!;
    if (!Number.isNaN(v) && !Number.isFinite(v))
      throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', `demand[${k - from}]`, 'must be finite or missing', v);
  }
  return fitDemandDistribution(run.options.forecastMethod ?? 'auto', it.demand.subarray(from, to));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Writes item `i` into a reusable risk input (the bulk path allocates no per-item objects for it). */
function fillRiskInput(
  input: PortfolioInput,
  run: ScoringRun,
  i: number,
  target: Mutable<PartRiskInput>,
  position: Mutable<StockPosition>,
  aog: Mutable<AogProfile>,
): LeadTimeEntry {
  const it = input.items;
  const entry = itemLeadTime(input, run, i);
  if (entry.error) throw entry.error;
  const o0 = it.onOrderOffsets[i]!;
  const o1 = it.onOrderOffsets[i + 1]!;
  let onOrder: OnOrderLine[] | undefined;
  if (o1 > o0) {
    onOrder = [];
    for (let k = o0; k < o1; k++) onOrder.push({ quantity: it.onOrderQuantity[k]!, dueInDays: it.onOrderDueDays[k]! });
  }
  position.onHand = it.onHand[i]!;
  position.reserved = it.reserved[i]!;
  position.onOrder = onOrder;
  if (it.grounds[i] === 1) {
    aog.aircraftPerUnitShort = it.aircraftPerUnitShort[i]!;
    aog.fleetSize = Number.isNaN(it.fleetSize[i]!) ? undefined : it.fleetSize[i]!;
    target.aog = aog;
    target.aogCostPerDay = it.aogCostPerDay[i]!;
  } else {
    target.aog = undefined;
    target.aogCostPerDay = undefined;
  }
  target.demand = itemDemand(input, run, i);
  target.leadTime = entry.supply!.leadTime;
  target.position = position;
  target.expediteCostPerStockout = it.expediteCost[i]!;
  target.daysPerPeriod = run.options.daysPerPeriod;
  return entry;
}

/** The item as the single-part risk functions take it (fresh objects: safe to keep). */
export function itemRiskInput(
  input: PortfolioInput,
  run: ScoringRun,
  i: number,
  partId: string,
): { risk: PartRiskInput; entry: LeadTimeEntry } {
  const risk = { partId } as Mutable<PartRiskInput>;
  const entry = fillRiskInput(input, run, i, risk, { onHand: 0 }, {});
  return { risk, entry };
}

// Scratch for the per-item digest: one buffer reused across items (grown when a history is long).
let scratch = new Float64Array(256);
let scratchBytes = new Uint8Array(scratch.buffer);

function itemDigest(input: PortfolioInput, i: number, entry: LeadTimeEntry, out: Uint8Array): void {
  const it = input.items;
  const d0 = it.demandOffsets[i]!;
  const d1 = it.demandOffsets[i + 1]!;
  const o0 = it.onOrderOffsets[i]!;
  const o1 = it.onOrderOffsets[i + 1]!;
  const len = 16 + (d1 - d0) + 2 * (o1 - o0);
  if (scratch.length < len) {
    scratch = new Float64Array(len * 2);
    scratchBytes = new Uint8Array(scratch.buffer);
  }
  scratchBytes.set(entry.digest);
  let k = 4;
  scratch[k++] = d1 - d0;
  // Missing months as −∞ (no real value has it): NaN bit patterns are not canonical.
  for (let t = d0; t < d1; t++) scratch[k++] = Number.isNaN(it.demand[t]!) ? -Infinity : it.demand[t]!;
  scratch[k++] = it.onHand[i]!;
  scratch[k++] = it.reserved[i]!;
  scratch[k++] = o1 - o0;
  for (let t = o0; t < o1; t++) {
    scratch[k++] = it.onOrderQuantity[t]!;
    scratch[k++] = it.onOrderDueDays[t]!;
  }
  scratch[k++] = it.grounds[i]!;
  scratch[k++] = it.aircraftPerUnitShort[i]!;
  scratch[k++] = Number.isNaN(it.fleetSize[i]!) ? -Infinity : it.fleetSize[i]!;
  scratch[k++] = it.aogCostPerDay[i]!;
  scratch[k++] = it.expediteCost[i]!;
  // One-shot hash (no Hash object per item: its set-up cost several times the SHA-256 of these
  // ~400 bytes). The digest comes back as a binary string, one char per byte.
  const d = hash('sha256', scratchBytes.subarray(0, k * 8), 'binary');
  const at = i * 32;
  for (let b = 0; b < 32; b++) out[at + b] = d.charCodeAt(b);
}

/**
 * Scores items `order[from..to)` into `out` — the kernel both the single-threaded path and each
 * worker thread run. Per item: fit demand (the run's method), look up the shared lead time, compute
 * stockout/AOG → exposure → score → level (bulk `score` detail), and the input digest. An item the
 * engine refuses (negative stock, NaN demand, a lead time that cannot be built) gets status 1 and an
 * entry in `errors`; the rest of the portfolio is scored regardless.
 */
export function scoreSlice(
  input: PortfolioInput,
  run: ScoringRun,
  order: Int32Array | null,
  from: number,
  to: number,
  out: PortfolioScores,
): SliceReport {
  const errors: ItemError[] = [];
  let scored = 0;
  const risk = { partId: '' } as Mutable<PartRiskInput>;
  const position: Mutable<StockPosition> = { onHand: 0 };
  const aog: Mutable<AogProfile> = {};
  for (let k = from; k < to; k++) {
    const i = order ? order[k]! : k;
    try {
      const entry = fillRiskInput(input, run, i, risk, position, aog);
      const r = assessPartRisk(risk, run.ctx);
      out.score[i] = r.score;
      out.level[i] = RISK_LEVELS.indexOf(r.level);
      out.stockoutProbability[i] = r.stockout.stockoutProbability;
      out.expectedExposure[i] = r.exposure.expected;
      out.conditionalExposure[i] = r.exposure.conditional;
      out.expectedAogDays[i] = r.stockout.expectedAogDays;
      out.meanLeadTimeDays[i] = r.stockout.meanLeadTimeDays;
      out.meanLeadTimeDemand[i] = r.stockout.meanLeadTimeDemand;
      out.demandPerPeriod[i] = risk.demand.meanPerPeriod;
      out.eventAffected[i] = entry.supply!.matches.length > 0 ? 1 : 0;
      out.status[i] = 0;
      itemDigest(input, i, entry, out.digest);
      scored++;
    } catch (err) {
      if (!(err instanceof SupplyRiskError)) throw err;
      out.status[i] = 1;
      out.score[i] = Number.NaN;
      errors.push({ index: i, code: err.code, field: err.field, rule: err.rule });
    }
  }
  return { scored, errors, rejectedEvents: run.rejectedEvents, leadTimes: run.table.size };
}

/** Scores a whole portfolio on this thread (tests, CLI, incremental batches). */
export function scorePortfolio(
  input: PortfolioInput,
  options: PortfolioOptions = {},
): { scores: PortfolioScores; report: SliceReport; run: ScoringRun } {
  const run = prepareRun(input, options);
  const scores = allocateScores(input.items.count);
  const report = scoreSlice(input, run, null, 0, input.items.count, scores);
  return { scores, report, run };
}
