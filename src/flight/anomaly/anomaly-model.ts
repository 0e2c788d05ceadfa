/**
 * The anomaly model's stored form and its validated, loaded form.
 *
 * A model is, per vehicle class, a set of isolation forests over groups of the window features of
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

/**
 * One isolation forest over a small group of related features (attitude control, vibration,
 * propulsion, power, navigation). A forest over all features dilutes a fault in one of them — a
 * random split rarely picks the faulty feature — so each group is isolated on its own and a window is
 * unusual when any group is (a "subspace" isolation forest; see docs/flight/anomaly-model.md).
 */
export interface GroupModelDocument {
  readonly name: string;
  /** Forest column order; a subset of the class features. */
  readonly features: readonly FeatureName[];
  /** A window whose group score exceeds this is unusual. */
  readonly threshold: number;
  /** Share of real training windows above the threshold (in-sample). */
  readonly inSampleFlaggedShare: number;
  readonly forest: SerialisedForest;
}

export interface ClassModelDocument {
  readonly vehicleClass: AnomalyVehicleClass;
  /** Every feature the class uses (the digest and summary cover these). */
  readonly features: readonly FeatureName[];
  readonly featureStats: readonly FeatureStats[];
  readonly groups: readonly GroupModelDocument[];
  readonly training: {
    readonly flights: readonly TrainingFlight[];
    readonly realWindows: number;
    readonly augmentedWindows: number;
    /** Share of real training windows flagged by any group (in-sample). */
    readonly inSampleFlaggedShare: number;
  };
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

export interface GroupModel extends Omit<GroupModelDocument, 'forest'> {
  readonly forest: IsolationForest;
}

export interface ClassModel extends Omit<ClassModelDocument, 'groups'> {
  readonly groups: readonly GroupModel[];
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
    const groupEntries: unknown = c.groups;
    if (!Array.isArray(groupEntries) || groupEntries.length === 0)
      throw new RangeError(`anomaly model: ${c.vehicleClass} has no groups`);
    const groups = groupEntries.map((entryGroup: unknown): GroupModel => {
      const g = entryGroup as GroupModelDocument;
      const gf: unknown = g?.features;
      if (
        !Array.isArray(gf) ||
        gf.length === 0 ||
        !gf.every(
          (f): f is FeatureName => typeof f === 'string' && (features as readonly string[]).includes(f),
        )
      )
        throw new RangeError(
          `anomaly model: ${c.vehicleClass} group ${String(g?.name)} names a feature outside the class`,
        );
      if (typeof g.threshold !== 'number' || !(g.threshold > 0 && g.threshold < 1))
        throw new RangeError(`anomaly model: ${c.vehicleClass} group ${g.name} threshold must lie in (0, 1)`);
      const forest = deserialiseForest(g.forest);
      if (forest.featureCount !== gf.length)
        throw new RangeError(
          `anomaly model: ${c.vehicleClass} group ${g.name} forest width differs from its features`,
        );
      return { ...g, features: gf, forest };
    });
    classes.set(c.vehicleClass, { ...c, features, groups });
  }
  return { name: d.name, version: d.version, classes, document: d };
}
