/**
 * Fitting the anomaly model from healthy flights. Pure and deterministic (seeded), so
 * `scripts/train-anomaly-model.ts` rebuilds the committed artefact exactly and tests can fit
 * small models on constructed flights.
 *
 * Few healthy real flights exist per class, so each real window is joined by `augmentCopies`
 * seeded perturbations: every present feature is moved by Gaussian noise of `augmentScale` × the
 * feature's robust spread (1.4826 × MAD over the class's real windows). This widens the fitted
 * "normal" region around the real windows slightly (fewer false alarms on the next healthy flight of
 * the same kind) without inventing new behaviour. The threshold is set on the real windows only.
 */
import type { FlightSignals } from '../signals/index.js';
import {
  ANOMALY_MODEL_FORMAT,
  ANOMALY_MODEL_NAME,
  type AnomalyModelDocument,
  type AnomalyVehicleClass,
  type ClassModelDocument,
} from './anomaly-model.js';
import { anomalyScore, fitIsolationForest, seededRandom, serialiseForest } from './isolation-forest.js';
import {
  extractFeatureWindows,
  FEATURE_NAMES,
  HOP_S,
  WINDOW_S,
  type FeatureName,
} from './window-features.js';

/**
 * Features each class model uses. Rovers skip tilt (a rover log's attitude can be the board's
 * mounting orientation, ±180° roll) and motor spread (steering and throttle are not a rotor set).
 */
export const CLASS_FEATURES: Readonly<Partial<Record<AnomalyVehicleClass, readonly FeatureName[]>>> = {
  multirotor: [
    'attitude_error_deg',
    'rate_error_dps',
    'rate_rms_dps',
    'tilt_max_deg',
    'vibration_mps2',
    'motor_spread',
    'motor_mean',
    'climb_rate_mps',
    'voltage_sag_v',
    'gps_eph_m',
    'ekf_ratio_max',
  ],
  fixed_wing: [
    'attitude_error_deg',
    'rate_rms_dps',
    'tilt_max_deg',
    'vibration_mps2',
    'motor_mean',
    'climb_rate_mps',
    'voltage_sag_v',
    'gps_eph_m',
    'ekf_ratio_max',
    'ground_speed_mps',
  ],
  rover: [
    'rate_rms_dps',
    'vibration_mps2',
    'motor_mean',
    'voltage_sag_v',
    'gps_eph_m',
    'ekf_ratio_max',
    'ground_speed_mps',
  ],
};

export interface TrainingInput {
  readonly name: string;
  readonly sha256: string;
  readonly vehicleClass: AnomalyVehicleClass;
  readonly signals: FlightSignals;
}

export interface TrainingOptions {
  readonly version: string;
  readonly seed: number;
  readonly trees: number;
  readonly sampleSize: number;
  readonly augmentCopies: number;
  readonly augmentScale: number;
  /** Quantile of the real training windows' scores used as the threshold (e.g. 0.995). */
  readonly thresholdQuantile: number;
  readonly classFeatures?: Readonly<Partial<Record<AnomalyVehicleClass, readonly FeatureName[]>>>;
}

export const DEFAULT_TRAINING: Omit<TrainingOptions, 'version'> = {
  seed: 20261121,
  trees: 100,
  sampleSize: 128,
  augmentCopies: 3,
  augmentScale: 0.15,
  thresholdQuantile: 0.995,
};

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Fits one forest per class that has training flights; classes without flights get no model. */
export function fitAnomalyModel(
  inputs: readonly TrainingInput[],
  options: TrainingOptions,
): AnomalyModelDocument {
  const classFeatures = options.classFeatures ?? CLASS_FEATURES;
  const classes: ClassModelDocument[] = [];
  let classSeed = options.seed;
  for (const [vehicleClass, features] of Object.entries(classFeatures) as [
    AnomalyVehicleClass,
    readonly FeatureName[],
  ][]) {
    classSeed = Math.imul(classSeed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
    const flights = inputs.filter((i) => i.vehicleClass === vehicleClass);
    if (flights.length === 0) continue;
    const cols = features.map((f) => FEATURE_NAMES.indexOf(f));
    const perFlight = flights.map((f) => {
      const w = extractFeatureWindows(f.signals);
      const rows = w.rows
        .map((r) => Float64Array.from(cols, (c) => r[c]!))
        .filter((r) => r.some((v) => !Number.isNaN(v)));
      return { flight: f, rows };
    });
    const real = perFlight.flatMap((p) => p.rows);
    if (real.length < 8) continue;
    const spread = features.map((_, f) => robustSpread(real.map((r) => r[f]!)));
    const rand = seededRandom(classSeed);
    const augmented: Float64Array[] = [];
    for (const r of real)
      for (let k = 0; k < options.augmentCopies; k++)
        augmented.push(
          r.map((v, f) =>
            Number.isNaN(v)
              ? v
              : Number((v + gaussian(rand) * options.augmentScale * spread[f]!).toPrecision(9)),
          ),
        );
    const forest = fitIsolationForest([...real, ...augmented], {
      trees: options.trees,
      sampleSize: options.sampleSize,
      seed: classSeed,
    });
    const scores = real.map((r) => anomalyScore(forest, r)).sort((a, b) => a - b);
    const threshold = Number(quantile(scores, options.thresholdQuantile).toPrecision(4));
    classes.push({
      vehicleClass,
      features,
      threshold,
      featureStats: features.map((name, f) => {
        const vals = real
          .map((r) => r[f]!)
          .filter((v) => !Number.isNaN(v))
          .sort((a, b) => a - b);
        return {
          name,
          present: vals.length,
          median: round4(quantile(vals, 0.5)),
          p95: round4(quantile(vals, 0.95)),
        };
      }),
      training: {
        flights: perFlight.map((p) => ({
          name: p.flight.name,
          sha256: p.flight.sha256,
          windows: p.rows.length,
        })),
        realWindows: real.length,
        augmentedWindows: augmented.length,
        inSampleFlaggedShare: Number(
          (scores.filter((s) => s >= threshold).length / scores.length).toPrecision(4),
        ),
      },
      forest: serialiseForest(forest),
    });
  }
  return {
    format: ANOMALY_MODEL_FORMAT,
    name: ANOMALY_MODEL_NAME,
    version: options.version,
    windowS: WINDOW_S,
    hopS: HOP_S,
    seed: options.seed,
    classes,
  };
}

const round4 = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);

/** 1.4826 × MAD of the present values (σ for Gaussian data); falls back to a small share of |median|. */
function robustSpread(values: readonly number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const med = quantile(v, 0.5);
  const dev = v.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const mad = 1.4826 * quantile(dev, 0.5);
  return mad > 0 ? mad : Math.abs(med) * 0.01;
}
