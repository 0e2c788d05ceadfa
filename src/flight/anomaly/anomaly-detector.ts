/**
 * `detectAnomalies`: unusual-behaviour time ranges for one flight, with per-feature attributions.
 *
 * How the analysis pipeline calls it (pure; no I/O, no clock):
 *
 * ```ts
 * import { BUNDLED_ANOMALY_MODEL, detectAnomalies } from '../anomaly/index.js';
 * const anomalies = detectAnomalies(BUNDLED_ANOMALY_MODEL, signals, report.vehicle.type);
 * // Record through src/platform/audit/prediction-recorder.ts (the analysis job does this):
 * // recordPrediction(db, { tenantId, model: anomalies.model, version: anomalies.modelVersion,
 * //   inputDigest: anomalies.inputDigest, inputSummary: anomalies.featureSummary,
 * //   output: { status: anomalies.status, ranges: anomalies.ranges }, target: `flight:${id}` }, at)
 * ```
 *
 * It never throws on odd flights: a class without a model gives `status: 'no_model'`, a flight with
 * no evaluable window gives `status: 'insufficient_data'`, each with a reason and no ranges. Times
 * (`startS`, `endS`) are on the log's own clock, like every {@link Signal} `t`, so they shade plots
 * directly; subtract `signals.timeRange.start` for "seconds into the log".
 */
import { createHash } from 'node:crypto';
import type { FlightSignals } from '../signals/index.js';
import type { AnomalyModel, AnomalyVehicleClass, ClassModel } from './anomaly-model.js';
import { anomalyScore, featureContributions } from './isolation-forest.js';
import {
  extractFeatureWindows,
  FEATURES,
  FEATURE_NAMES,
  HOP_S,
  WINDOW_S,
  type FeatureName,
  type FeatureWindows,
} from './window-features.js';

export interface FeatureAttribution {
  readonly feature: FeatureName;
  /** Mean occlusion contribution to the window score over the range (score units; > 0 = drives it). */
  readonly contribution: number;
  /** The feature's mean value over the range, and its training median (same unit). */
  readonly value: number;
  /** `null` when the training flights never had the feature. */
  readonly typical: number | null;
  readonly unit: string;
}

export interface AnomalyRange {
  readonly startS: number;
  readonly endS: number;
  /** Highest window score in the range, 0..1 (the class threshold is in `featureSummary.threshold`). */
  readonly score: number;
  /** Flagged windows in the range (an unflagged window between two touching flagged ones is bridged). */
  readonly windows: number;
  /** Positive contributions, largest first (at most 5). */
  readonly attributions: readonly FeatureAttribution[];
}

export interface FeatureSummaryEntry {
  readonly name: FeatureName;
  readonly unit: string;
  /** Where the value came from in this log, or `missing: why`. */
  readonly source: string;
  /** Windows with a value; the rest were marginalised out. */
  readonly present: number;
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
}

export interface FeatureSummary {
  readonly scope: FeatureWindows['scope'];
  readonly windows: number;
  readonly windowS: number;
  readonly hopS: number;
  readonly threshold: number | null;
  readonly features: readonly FeatureSummaryEntry[];
}

export interface AnomalyDetection {
  readonly model: string;
  readonly modelVersion: string;
  readonly vehicleClass: AnomalyVehicleClass;
  readonly status: 'ok' | 'no_model' | 'insufficient_data';
  readonly reason: string;
  /** SHA-256 of the exact model input (see {@link featureInputDigest}). */
  readonly inputDigest: string;
  readonly featureSummary: FeatureSummary;
  readonly ranges: readonly AnomalyRange[];
}

/**
 * Digest of the model input: canonical JSON of `{ vehicleClass, features, starts, rows }` with the
 * class's feature columns, values rounded to 9 significant digits and `null` for missing, so the
 * same flight always hashes the same and an auditor can recompute it from the feature windows.
 */
export function featureInputDigest(
  vehicleClass: string,
  features: readonly FeatureName[],
  w: FeatureWindows,
): string {
  const cols = features.map((f) => FEATURE_NAMES.indexOf(f));
  const round = (v: number): number | null => (Number.isNaN(v) ? null : Number(v.toPrecision(9)));
  const body = JSON.stringify({
    vehicleClass,
    features,
    starts: w.starts.map(round),
    rows: w.rows.map((r) => cols.map((c) => round(r[c]!))),
  });
  return createHash('sha256').update(body).digest('hex');
}

function summarise(
  w: FeatureWindows,
  features: readonly FeatureName[],
  threshold: number | null,
): FeatureSummary {
  return {
    scope: w.scope,
    windows: w.rows.length,
    windowS: WINDOW_S,
    hopS: HOP_S,
    threshold,
    features: features.map((name) => {
      const c = FEATURE_NAMES.indexOf(name);
      const vals = w.rows
        .map((r) => r[c]!)
        .filter((v) => !Number.isNaN(v))
        .sort((a, b) => a - b);
      const r4 = (v: number | undefined): number | null =>
        v === undefined ? null : Number(v.toPrecision(4));
      return {
        name,
        unit: FEATURES[c]!.unit,
        source: w.sources[name],
        present: vals.length,
        min: r4(vals[0]),
        median: r4(vals[Math.floor(vals.length / 2)]),
        max: r4(vals[vals.length - 1]),
      };
    }),
  };
}

/** Window rows restricted to the class's feature columns, in forest order. */
export function classRows(cm: Pick<ClassModel, 'features'>, w: FeatureWindows): Float64Array[] {
  const cols = cm.features.map((f) => FEATURE_NAMES.indexOf(f));
  return w.rows.map((r) => Float64Array.from(cols, (c) => r[c]!));
}

/** Scores every window of a flight against a class model. */
export function scoreWindows(cm: ClassModel, rows: readonly Float64Array[]): number[] {
  return rows.map((r) => anomalyScore(cm.forest, r));
}

export function detectAnomalies(
  model: AnomalyModel,
  signals: FlightSignals,
  vehicleClass: AnomalyVehicleClass,
): AnomalyDetection {
  const w = extractFeatureWindows(signals);
  const cm = model.classes.get(vehicleClass);
  const base = { model: model.name, modelVersion: model.version, vehicleClass };
  if (!cm) {
    const all = FEATURE_NAMES;
    return {
      ...base,
      status: 'no_model',
      reason: `no anomaly model for vehicle class ${vehicleClass} (model has: ${[...model.classes.keys()].join(', ') || 'none'})`,
      inputDigest: featureInputDigest(vehicleClass, all, w),
      featureSummary: summarise(w, all, null),
      ranges: [],
    };
  }
  const summary = summarise(w, cm.features, cm.threshold);
  const inputDigest = featureInputDigest(vehicleClass, cm.features, w);
  const rows = classRows(cm, w);
  const usable = rows.map((r) => r.some((v) => !Number.isNaN(v)));
  if (!usable.some(Boolean)) {
    const reason =
      w.rows.length === 0
        ? `no ${WINDOW_S} s window in the ${w.scope} scope`
        : 'no window has any model feature';
    return { ...base, status: 'insufficient_data', reason, inputDigest, featureSummary: summary, ranges: [] };
  }
  const scores = scoreWindows(cm, rows);
  const flagged = scores.map((s, i) => usable[i]! && s >= cm.threshold);
  const ranges: AnomalyRange[] = [];
  // Flagged windows that overlap or touch (next start ≤ current end) form one range.
  const picked = flagged.flatMap((f, i) => (f ? [i] : []));
  for (let k = 0; k < picked.length;) {
    let m = k;
    while (m + 1 < picked.length && w.starts[picked[m + 1]!]! <= w.starts[picked[m]!]! + WINDOW_S) m++;
    ranges.push(rangeOf(cm, w, rows, scores, picked.slice(k, m + 1)));
    k = m + 1;
  }
  const n = ranges.length;
  const reason =
    n === 0 ? 'no window reached the threshold' : `${n} range${n === 1 ? '' : 's'} reached the threshold`;
  return { ...base, status: 'ok', reason, inputDigest, featureSummary: summary, ranges };
}

function rangeOf(
  cm: ClassModel,
  w: FeatureWindows,
  rows: Float64Array[],
  scores: number[],
  idx: readonly number[],
): AnomalyRange {
  const k = cm.features.length;
  const sum = new Float64Array(k);
  const valueSum = new Float64Array(k);
  const valueN = new Float64Array(k);
  for (const x of idx) {
    const c = featureContributions(cm.forest, rows[x]!);
    for (let f = 0; f < k; f++) {
      sum[f]! += c[f]!;
      const v = rows[x]![f]!;
      if (!Number.isNaN(v)) {
        valueSum[f]! += v;
        valueN[f]! += 1;
      }
    }
  }
  const attributions = cm.features
    .map((feature, f) => ({
      feature,
      contribution: Number((sum[f]! / idx.length).toPrecision(4)),
      value: valueN[f]! > 0 ? Number((valueSum[f]! / valueN[f]!).toPrecision(4)) : NaN,
      typical: cm.featureStats[f]?.median ?? null,
      unit: FEATURES[FEATURE_NAMES.indexOf(feature)]!.unit,
    }))
    .filter((a) => a.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 5);
  return {
    startS: w.starts[idx[0]!]!,
    endS: w.starts[idx[idx.length - 1]!]! + WINDOW_S,
    score: Number(Math.max(...idx.map((x) => scores[x]!)).toPrecision(4)),
    windows: idx.length,
    attributions,
  };
}
