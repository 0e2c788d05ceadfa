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
import type { AnomalyModel, AnomalyVehicleClass, ClassModel, GroupModel } from './anomaly-model.js';
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
  /** Highest flagging group score in the range, 0..1 (group thresholds are in `featureSummary.thresholds`). */
  readonly score: number;
  /** Feature groups whose forest flagged a window of the range. */
  readonly groups: readonly string[];
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
  /** Group name → score threshold (empty without a model). */
  readonly thresholds: Readonly<Record<string, number>>;
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
  thresholds: Readonly<Record<string, number>>,
): FeatureSummary {
  return {
    scope: w.scope,
    windows: w.rows.length,
    windowS: WINDOW_S,
    hopS: HOP_S,
    thresholds,
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

/** Window rows restricted to the given feature columns, in that order. */
export function pickColumns(features: readonly FeatureName[], w: FeatureWindows): Float64Array[] {
  const cols = features.map((f) => FEATURE_NAMES.indexOf(f));
  return w.rows.map((r) => Float64Array.from(cols, (c) => r[c]!));
}

interface GroupScores {
  readonly group: GroupModel;
  readonly rows: Float64Array[];
  /** NaN where the window has none of the group's features. */
  readonly scores: number[];
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
      featureSummary: summarise(w, all, {}),
      ranges: [],
    };
  }
  const thresholds = Object.fromEntries(cm.groups.map((g) => [g.name, g.threshold]));
  const summary = summarise(w, cm.features, thresholds);
  const inputDigest = featureInputDigest(vehicleClass, cm.features, w);
  const groups: GroupScores[] = cm.groups.map((group) => {
    const rows = pickColumns(group.features, w);
    return {
      group,
      rows,
      scores: rows.map((r) => (r.some((v) => !Number.isNaN(v)) ? anomalyScore(group.forest, r) : NaN)),
    };
  });
  if (!groups.some((g) => g.scores.some((x) => !Number.isNaN(x)))) {
    const reason =
      w.rows.length === 0
        ? `no ${WINDOW_S} s window in the ${w.scope} scope`
        : 'no window has any model feature';
    return { ...base, status: 'insufficient_data', reason, inputDigest, featureSummary: summary, ranges: [] };
  }
  const flagged = w.starts.map((_, i) => groups.some((g) => g.scores[i]! > g.group.threshold));
  const ranges: AnomalyRange[] = [];
  // Flagged windows that overlap or touch (next start ≤ current end) form one range.
  const picked = flagged.flatMap((f, i) => (f ? [i] : []));
  for (let k = 0; k < picked.length;) {
    let m = k;
    while (m + 1 < picked.length && w.starts[picked[m + 1]!]! <= w.starts[picked[m]!]! + WINDOW_S) m++;
    ranges.push(rangeOf(cm, w, groups, picked.slice(k, m + 1)));
    k = m + 1;
  }
  const n = ranges.length;
  const reason =
    n === 0
      ? 'no window reached a group threshold'
      : `${n} range${n === 1 ? '' : 's'} reached a group threshold`;
  return { ...base, status: 'ok', reason, inputDigest, featureSummary: summary, ranges };
}

/** Attributions come only from the groups that flagged a window (occlusion within that group's forest). */
function rangeOf(
  cm: ClassModel,
  w: FeatureWindows,
  groups: readonly GroupScores[],
  idx: readonly number[],
): AnomalyRange {
  const contribution = new Map<FeatureName, number>();
  const flaggedGroups = new Set<string>();
  let score = 0;
  for (const x of idx) {
    for (const g of groups) {
      const sc = g.scores[x]!;
      if (!(sc > g.group.threshold)) continue;
      flaggedGroups.add(g.group.name);
      score = Math.max(score, sc);
      const c = featureContributions(g.group.forest, g.rows[x]!);
      g.group.features.forEach((f, k) => contribution.set(f, (contribution.get(f) ?? 0) + c[k]!));
    }
  }
  const attributions = [...contribution]
    .map(([feature, sum]) => {
      const f = cm.features.indexOf(feature);
      const column = FEATURE_NAMES.indexOf(feature);
      const vals = idx.map((x) => w.rows[x]![column]!).filter((v) => !Number.isNaN(v));
      return {
        feature,
        contribution: Number((sum / idx.length).toPrecision(4)),
        value: vals.length ? Number((vals.reduce((a, b) => a + b, 0) / vals.length).toPrecision(4)) : NaN,
        typical: cm.featureStats[f]?.median ?? null,
        unit: FEATURES[FEATURE_NAMES.indexOf(feature)]!.unit,
      };
    })
    .filter((a) => a.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 5);
  return {
    startS: w.starts[idx[0]!]!,
    endS: w.starts[idx[idx.length - 1]!]! + WINDOW_S,
    score: Number(score.toPrecision(4)),
    windows: idx.length,
    groups: [...flaggedGroups],
    attributions,
  };
}
