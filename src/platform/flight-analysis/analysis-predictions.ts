/**
 * The two model outputs of an analysis, as prediction records for the audit trail: the risk score (input:
 * the findings it was computed from) and the anomaly model (input: its feature windows, as digest + summary).
 * An auditor can recompute either digest from the stored report / the original file and prove which input
 * produced the recorded output.
 */
import type { AnomalyDetection } from '../../flight/anomaly/index.js';
import type { FlightReport } from '../../flight/report/report.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { digestOf, type PredictionRecord } from '../audit/prediction-recorder.js';

export const RISK_MODEL_NAME = 'flight-risk-score';

/**
 * SHA-256 of the report's canonical JSON as stored (JSON round trip first, so a stray non-finite number is the
 * `null` jsonb holds, and jsonb's key order does not matter).
 */
export const reportDigest = (report: FlightReport): string => digestOf(canonicalJson(JSON.parse(JSON.stringify(report))));

export function riskPrediction(tenantId: string, flightId: string, fileSha256: string, report: FlightReport, reportSha256: string): PredictionRecord {
  const statuses: Record<string, number> = {};
  for (const f of report.findings) statuses[f.status] = (statuses[f.status] ?? 0) + 1;
  const scored = report.findings.map((f) => ({ id: f.id, status: f.status, severity: f.severity }));
  return {
    tenantId,
    model: RISK_MODEL_NAME,
    version: report.engineVersion,
    inputDigest: digestOf(canonicalJson(scored)),
    inputSummary: {
      flightId, fileSha256, vehicleType: report.vehicle.type, thresholdsVersion: report.thresholdsVersion, findings: statuses,
    },
    output: {
      score: report.risk.score,
      level: report.risk.level,
      formula: report.risk.formula,
      contributions: report.risk.contributions.slice(0, 20).map((c) => ({ findingId: c.findingId, severity: c.severity, points: c.points })),
      reportSha256,
    },
    target: flightId,
  };
}

export function anomalyPrediction(tenantId: string, flightId: string, d: AnomalyDetection): PredictionRecord {
  return {
    tenantId,
    model: d.model,
    version: d.modelVersion,
    inputDigest: d.inputDigest,
    inputSummary: { flightId, vehicleClass: d.vehicleClass, ...d.featureSummary },
    output: { status: d.status, reason: d.reason, ranges: d.ranges },
    target: flightId,
  };
}
