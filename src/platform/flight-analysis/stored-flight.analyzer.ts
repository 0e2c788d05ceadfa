/**
 * Runs the flight-safety engine on a stored flight. The decode job keeps plot-ready chunked series, not the
 * canonical `FlightSignals` (vehicle info, parameters, messages, events) the engine needs, so the analysis
 * re-decodes the original file (the `analyze` computation, on the flight compute thread): the simplest path,
 * and exactly what `skyguard flight analyze FILE` computes for the same bytes.
 */
import { analyzeFlight, ENGINE_VERSION } from '../../flight/analysis/index.js';
import {
  BUNDLED_ANOMALY_MODEL,
  createAnomalyDetector,
  type AnomalyDetection,
  type AnomalyModel,
} from '../../flight/anomaly/index.js';
import type { DecodedLog } from '../../flight/formats/index.js';
import type { FlightReport } from '../../flight/report/report.js';
import { toFlightSignals } from '../../flight/signals/index.js';

/**
 * The versions a worker analyses with; stored analyses made with older ones are redone. The anomaly model
 * version is the bundled artefact's, stored even when the model had nothing to say for a vehicle class.
 */
export const RUNNING_VERSIONS: { readonly engineVersion: string; readonly anomalyModelVersion: string } = {
  engineVersion: ENGINE_VERSION,
  anomalyModelVersion: BUNDLED_ANOMALY_MODEL.version,
};

export interface StoredFlightAnalysis {
  readonly report: FlightReport;
  /** The anomaly model's full output (input digest and feature summary for the audit trail); absent if it threw. */
  readonly detection: AnomalyDetection | undefined;
}

/** Decoded log → report, with the decoder's facts passed on as `analyzeFlightLog` does for the CLI. */
export function analyzeDecodedLog(log: DecodedLog, model: AnomalyModel = BUNDLED_ANOMALY_MODEL): StoredFlightAnalysis {
  const signals = toFlightSignals(log);
  let detection: AnomalyDetection | undefined;
  const report = analyzeFlight(signals, {
    anomalyDetector: createAnomalyDetector(model, (d) => (detection = d)),
    log: {
      completeness: log.completeness,
      formatVersion: log.formatVersion,
      dropouts: { count: log.dropouts.length, totalS: log.dropouts.reduce((a, d) => a + d.durationS, 0) },
      warnings: log.warnings.slice(0, 10).map((w) => `byte ${w.offset}: ${w.message}`),
    },
  });
  return { report, detection };
}
