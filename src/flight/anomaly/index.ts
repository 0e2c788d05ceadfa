/**
 * The anomaly model: an isolation forest per vehicle class over 2 s feature windows.
 * Start at {@link detectAnomalies} (how to call it is in its file's header) and
 * docs/flight/anomaly-model.md (features, training set, attribution method, measured false alarms).
 */
import modelDocument from './models/anomaly-model.v1.0.0.json' with { type: 'json' };
import { loadAnomalyModel, type AnomalyModel } from './anomaly-model.js';

export { ANOMALY_MODEL_VERSION } from './model-version.js';

/** The committed model, validated at import (a corrupt artefact fails loudly at start-up). */
export const BUNDLED_ANOMALY_MODEL: AnomalyModel = loadAnomalyModel(modelDocument);

export {
  detectAnomalies,
  featureInputDigest,
  type AnomalyDetection,
  type AnomalyRange,
  type FeatureAttribution,
  type FeatureSummary,
  type FeatureSummaryEntry,
} from './anomaly-detector.js';
export {
  loadAnomalyModel,
  ANOMALY_MODEL_NAME,
  type AnomalyModel,
  type AnomalyModelDocument,
  type AnomalyVehicleClass,
} from './anomaly-model.js';
export { anomalyModelJson } from './model-json.js';
export { ANOMALY_TRAINING_SET } from './training-set.js';
export {
  FEATURES,
  WINDOW_S,
  HOP_S,
  extractFeatureWindows,
  type FeatureName,
  type FeatureWindows,
} from './window-features.js';
export { createAnomalyDetector, toAnomalyOutput } from './anomaly-port.adapter.js';
