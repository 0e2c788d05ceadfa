/**
 * Fitting the anomaly model from healthy flights. Pure and deterministic (seeded), so
 * `scripts/train-anomaly-model.ts` rebuilds the committed artefact exactly and tests can fit
 * small models on constructed flights.
 *
 * Few healthy real flights exist per class, so each real window is joined by `augmentCopies`
 * seeded perturbations: every present feature is moved by Gaussian noise of `augmentScale` × the
 * feature's spread — its robust spread (1.4826 × MAD over the class's real windows), but never less
 * than the feature's `resolution`. This widens the fitted
 * "normal" region around the real windows slightly (fewer false alarms on the next healthy flight of
 * the same kind) without inventing new behaviour. The thresholds are set on the real windows only.
 */
import type { FlightSignals } from '../signals/index.js';
import {
  ANOMALY_MODEL_FORMAT,
  ANOMALY_MODEL_NAME,
  type AnomalyModelDocument,
  type AnomalyVehicleClass,
  type ClassModelDocument,
  type GroupModelDocument,
} from './anomaly-model.js';
import { anomalyScore, fitIsolationForest, seededRandom, serialiseForest } from './isolation-forest.js';
import {
  extractFeatureWindows,
  FEATURE_NAMES,
  FEATURES,
  HOP_S,
  WINDOW_S,
  type FeatureName,
} from './window-features.js';

/**
 * Feature groups per class: each group gets its own forest (see GroupModelDocument for why). Rovers
 * skip tilt (a rover log's attitude can be the board's mounting orientation, ±180° roll) and motor
 * spread (steering and throttle are not a rotor set).
 */
export const CLASS_GROUPS: Readonly<
  Partial<Record<AnomalyVehicleClass, Readonly<Record<string, readonly FeatureName[]>>>>
> = {
  multirotor: {
    attitude: ['attitude_error_deg', 'rate_error_dps', 'rate_rms_dps', 'tilt_max_deg'],
    vibration: ['vibration_mps2'],
    propulsion: ['motor_spread', 'motor_mean', 'climb_rate_mps'],
    power: ['voltage_sag_v'],
    navigation: ['gps_eph_m', 'ekf_ratio_max'],
  },
  fixed_wing: {
    attitude: ['attitude_error_deg', 'rate_rms_dps', 'tilt_max_deg'],
    vibration: ['vibration_mps2'],
    energy: ['motor_mean', 'climb_rate_mps', 'ground_speed_mps'],
    power: ['voltage_sag_v'],
    navigation: ['gps_eph_m', 'ekf_ratio_max'],
  },
  rover: {
    motion: ['rate_rms_dps', 'motor_mean', 'ground_speed_mps'],
    vibration: ['vibration_mps2'],
    power: ['voltage_sag_v'],
    navigation: ['gps_eph_m', 'ekf_ratio_max'],
  },
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
  /** Quantile of the real training windows' group scores used as each group's threshold (e.g. 0.998). */
  readonly thresholdQuantile: number;
  readonly classGroups?: typeof CLASS_GROUPS;
}

export const DEFAULT_TRAINING: Omit<TrainingOptions, 'version'> = {
  seed: 20261121,
  trees: 50,
  sampleSize: 64,
  augmentCopies: 3,
  augmentScale: 0.5,
  thresholdQuantile: 0.998,
};

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Fits the group forests of every class that has training flights; classes without flights get no model. */
export function fitAnomalyModel(
  inputs: readonly TrainingInput[],
  options: TrainingOptions,
): AnomalyModelDocument {
  const classGroups = options.classGroups ?? CLASS_GROUPS;
  const classes: ClassModelDocument[] = [];
  let seed = options.seed;
  const nextSeed = (): number => (seed = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1);
  for (const [vehicleClass, groupDef] of Object.entries(classGroups) as [
    AnomalyVehicleClass,
    Record<string, readonly FeatureName[]>,
  ][]) {
    const classSeed = nextSeed();
    const flights = inputs.filter((i) => i.vehicleClass === vehicleClass);
    if (flights.length === 0) continue;
    const features = Object.values(groupDef).flat();
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
    const spread = features.map((name, f) =>
      Math.max(robustSpread(real.map((r) => r[f]!)), FEATURES[FEATURE_NAMES.indexOf(name)]!.resolution),
    );
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
    const flaggedAny = new Array<boolean>(real.length).fill(false);
    const groups: GroupModelDocument[] = [];
    for (const [name, groupFeatures] of Object.entries(groupDef)) {
      const gcols = groupFeatures.map((f) => features.indexOf(f));
      const pick = (r: Float64Array): Float64Array => Float64Array.from(gcols, (c) => r[c]!);
      const present = (r: Float64Array): boolean => r.some((v) => !Number.isNaN(v));
      const gReal = real.map(pick);
      const gTrain = [...gReal, ...augmented.map(pick)].filter(present);
      if (gTrain.length < 8 || isConstant(gReal)) continue; // never had these features, or never varied
      const forest = fitIsolationForest(gTrain, {
        trees: options.trees,
        sampleSize: options.sampleSize,
        seed: nextSeed(),
      });
      const scores = gReal.map((r) => (present(r) ? anomalyScore(forest, r) : 0));
      const threshold = Number(
        quantile(
          [...scores].sort((a, b) => a - b),
          options.thresholdQuantile,
        ).toPrecision(4),
      );
      scores.forEach((sc, i) => {
        if (sc > threshold) flaggedAny[i] = true;
      });
      groups.push({
        name,
        features: groupFeatures,
        threshold,
        inSampleFlaggedShare: Number(
          (scores.filter((sc) => sc > threshold).length / scores.length).toPrecision(4),
        ),
        forest: serialiseForest(forest),
      });
    }
    classes.push({
      vehicleClass,
      features,
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
      groups,
      training: {
        flights: perFlight.map((p) => ({
          name: p.flight.name,
          sha256: p.flight.sha256,
          windows: p.rows.length,
        })),
        realWindows: real.length,
        augmentedWindows: augmented.length,
        inSampleFlaggedShare: Number((flaggedAny.filter(Boolean).length / real.length).toPrecision(4)),
      },
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

function isConstant(rows: readonly Float64Array[]): boolean {
  const first = rows[0];
  return !first || rows.every((r) => r.every((v, i) => Object.is(v, first[i])));
}

/** 1.4826 × MAD of the present values (σ for Gaussian data); falls back to a small share of |median|. */
function robustSpread(values: readonly number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const med = quantile(v, 0.5);
  const dev = v.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const mad = 1.4826 * quantile(dev, 0.5);
  return mad > 0 ? mad : Math.abs(med) * 0.01;
}
