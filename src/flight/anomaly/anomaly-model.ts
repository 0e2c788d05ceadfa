/**
 * The anomaly model's stored form and its validated, loaded form.
 *
 * A model is a set of per-vehicle-class isolation forests over the window features of
 * `window-features.ts`. It is versioned (`version`, bumped whenever features, training data or
 * parameters change) so every stored analysis can name the exact model that produced it, and it is
 * plain JSON so the committed artefact can be diffed and rebuilt identically by
 * `scripts/train-anomaly-model.ts`.
 */
import { deserialiseForest, type IsolationForest, type SerialisedForest } from './isolation-forest.js';
import { FEATURE_NAMES, HOP_S, WINDOW_S, type FeatureName } from './window-features.js';

/** The vehicle types the analysis reports (`vehicle.type` in the report). */
export type AnomalyVehicleClass =
  'multirotor' | 'fixed_wing' | 'vtol' | 'helicopter' | 'rover' | 'boat' | 'unknown';

export const ANOMALY_MODEL_NAME = 'flight-anomaly-iforest';
/** Version of the JSON layout (not of the fitted model). */
export const ANOMALY_MODEL_FORMAT = 1;

export interface FeatureStats {
  readonly name: FeatureName;
  /** Training windows where the feature was present. */
  readonly present: number;
  /** `null` when the feature never appeared in training (the forest cannot use it). */
  readonly median: number | null;
  readonly p95: number | null;
}

export interface TrainingFlight {
  /** File name or label of the healthy flight. */
  readonly name: string;
  /** SHA-256 of the log bytes, so the training set is reproducible and auditable. */
  readonly sha256: string;
  readonly windows: number;
}

export interface ClassModelDocument {
  readonly vehicleClass: AnomalyVehicleClass;
  /** Forest column order. */
  readonly features: readonly FeatureName[];
  /** A window whose score reaches this is unusual. */
  readonly threshold: number;
  readonly featureStats: readonly FeatureStats[];
  readonly training: {
    readonly flights: readonly TrainingFlight[];
    readonly realWindows: number;
    readonly augmentedWindows: number;
    /** Share of real training windows at or above the threshold (in-sample). */
    readonly inSampleFlaggedShare: number;
  };
  readonly forest: SerialisedForest;
}

export interface AnomalyModelDocument {
  readonly format: number;
  readonly name: string;
  readonly version: string;
  readonly windowS: number;
  readonly hopS: number;
  readonly seed: number;
  readonly classes: readonly ClassModelDocument[];
}

export interface ClassModel extends Omit<ClassModelDocument, 'forest'> {
  readonly forest: IsolationForest;
}

export interface AnomalyModel {
  readonly name: string;
  readonly version: string;
  readonly classes: ReadonlyMap<AnomalyVehicleClass, ClassModel>;
  /** The document it was loaded from (kept for serialisation and audit). */
  readonly document: AnomalyModelDocument;
}

const CLASSES: readonly AnomalyVehicleClass[] = [
  'multirotor',
  'fixed_wing',
  'vtol',
  'helicopter',
  'rover',
  'boat',
  'unknown',
];

/**
 * Validates and loads a model document (e.g. the parsed JSON artefact). Throws RangeError naming the
 * first problem, so a corrupt or hand-edited artefact fails at start-up instead of scoring nonsense.
 */
export function loadAnomalyModel(doc: unknown): AnomalyModel {
  const d = doc as AnomalyModelDocument;
  if (typeof d !== 'object' || d === null) throw new RangeError('anomaly model: not an object');
  if (d.format !== ANOMALY_MODEL_FORMAT)
    throw new RangeError(`anomaly model: format ${String(d.format)} is not ${ANOMALY_MODEL_FORMAT}`);
  if (typeof d.version !== 'string' || d.version.length === 0)
    throw new RangeError('anomaly model: version missing');
  if (d.windowS !== WINDOW_S || d.hopS !== HOP_S)
    throw new RangeError('anomaly model: window layout differs from the feature extractor');
  if (!Array.isArray(d.classes)) throw new RangeError('anomaly model: classes missing');
  const classes = new Map<AnomalyVehicleClass, ClassModel>();
  const entries: readonly unknown[] = d.classes;
  const known: readonly string[] = FEATURE_NAMES;
  for (const entry of entries) {
    const c = entry as ClassModelDocument;
    const features: unknown = c.features;
    if (!CLASSES.includes(c.vehicleClass))
      throw new RangeError(`anomaly model: unknown vehicle class ${String(c.vehicleClass)}`);
    if (
      !Array.isArray(features) ||
      !features.every((f): f is FeatureName => typeof f === 'string' && known.includes(f))
    )
      throw new RangeError(`anomaly model: ${c.vehicleClass} names an unknown feature`);
    if (typeof c.threshold !== 'number' || !(c.threshold > 0 && c.threshold < 1))
      throw new RangeError(`anomaly model: ${c.vehicleClass} threshold must lie in (0, 1)`);
    const forest = deserialiseForest(c.forest);
    if (forest.featureCount !== features.length)
      throw new RangeError(`anomaly model: ${c.vehicleClass} forest width differs from its features`);
    classes.set(c.vehicleClass, { ...c, forest });
  }
  return { name: d.name, version: d.version, classes, document: d };
}
