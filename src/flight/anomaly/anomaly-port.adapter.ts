/**
 * Adapts {@link detectAnomalies} to the analysis engine's `AnomalyDetector` port
 * (`src/flight/report/report.ts`): report-shaped ranges (attributions as shares of the positive
 * contribution, with the training median as baseline) and the section status.
 *
 * The port's output carries no input digest or feature summary, so the optional `onDetection`
 * callback hands the full {@link AnomalyDetection} to the caller — the analysis job records it through
 * `src/platform/audit/prediction-recorder.ts`:
 *
 * ```ts
 * let detection: AnomalyDetection | undefined;
 * const report = analyzeFlight(signals, {
 *   anomalyDetector: createAnomalyDetector(BUNDLED_ANOMALY_MODEL, (d) => (detection = d)),
 * });
 * // then recordPrediction(db, { model: detection.model, version: detection.modelVersion,
 * //   inputDigest: detection.inputDigest, inputSummary: detection.featureSummary,
 * //   output: { status: detection.status, ranges: detection.ranges }, … }, at)
 * ```
 */
import type { AnomalyDetector, AnomalyOutput, AnomalySection } from '../report/report.js';
import { detectAnomalies, type AnomalyDetection } from './anomaly-detector.js';
import type { AnomalyModel } from './anomaly-model.js';

const STATUS: Readonly<Record<AnomalyDetection['status'], AnomalySection['status']>> = {
  ok: 'ok',
  no_model: 'not_applicable',
  insufficient_data: 'insufficient_data',
};

export function toAnomalyOutput(d: AnomalyDetection): AnomalyOutput {
  return {
    section: {
      status: STATUS[d.status],
      reason: d.reason,
      modelId: d.model,
      modelVersion: d.modelVersion,
      vehicleClass: d.vehicleClass,
    },
    anomalies: d.ranges.map((r) => {
      const total = r.attributions.reduce((s, a) => s + a.contribution, 0);
      return {
        start: r.startS,
        end: r.endS,
        score: r.score,
        attributions: r.attributions.map((a) => ({
          feature: a.feature,
          contribution: total > 0 ? Number((a.contribution / total).toPrecision(3)) : 0,
          ...(Number.isFinite(a.value) ? { value: a.value } : {}),
          ...(a.typical !== null ? { baseline: a.typical } : {}),
        })),
      };
    }),
  };
}

export function createAnomalyDetector(
  model: AnomalyModel,
  onDetection?: (d: AnomalyDetection) => void,
): AnomalyDetector {
  return ({ signals, vehicle }) => {
    const d = detectAnomalies(model, signals, vehicle.type);
    onDetection?.(d);
    return toAnomalyOutput(d);
  };
}
