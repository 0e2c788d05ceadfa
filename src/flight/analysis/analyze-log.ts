/**
 * Bytes → report in one call (decode, canonical signals, analysis): what the CLI, the job and the
 * benchmark run. Decoder facts (completeness, dropouts, warnings) are passed on to the report.
 */
import { decodeFlightLog } from '../formats/index.js';
import { toFlightSignals } from '../signals/index.js';
import type { AnomalyDetector, FlightReport } from '../report/report.js';
import { analyzeFlight } from './analyze-flight.js';

export function analyzeFlightLog(bytes: Uint8Array, options: { anomalyDetector?: AnomalyDetector } = {}): FlightReport {
  const log = decodeFlightLog(bytes);
  const signals = toFlightSignals(log);
  return analyzeFlight(signals, {
    ...options,
    log: {
      completeness: log.completeness,
      formatVersion: log.formatVersion,
      dropouts: { count: log.dropouts.length, totalS: log.dropouts.reduce((a, d) => a + d.durationS, 0) },
      warnings: log.warnings.slice(0, 10).map((w) => `byte ${w.offset}: ${w.message}`),
    },
  });
}
