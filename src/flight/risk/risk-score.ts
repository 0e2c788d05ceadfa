/**
 * Risk score from findings. Each warn/fail finding carries a weight by severity; the score is the
 * probability-style union 100·(1 − Π(1 − wᵢ)), so findings add up but never exceed 100 and one
 * critical finding alone already lands in "high". Contributions split the score exactly in proportion
 * to −ln(1 − wᵢ) (the additive form of the product), ranked largest first.
 * Levels: < 25 low, < 50 moderate, < 75 high, ≥ 75 critical. Documented in docs/flight/analysis.md.
 */
import type { Finding, RiskContribution, RiskLevel, RiskReport, Severity } from '../report/report.js';

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { none: 0, low: 0.05, medium: 0.15, high: 0.3, critical: 0.55 };

export const RISK_LEVELS: readonly { readonly level: RiskLevel; readonly below: number }[] = [
  { level: 'low', below: 25 },
  { level: 'moderate', below: 50 },
  { level: 'high', below: 75 },
  { level: 'critical', below: Infinity },
];

export const RISK_FORMULA = 'score = 100·(1 − Π(1 − wᵢ)) over warn/fail findings, w = {low 0.05, medium 0.15, high 0.30, critical 0.55}; levels <25 low, <50 moderate, <75 high, else critical';

export function riskScore(findings: readonly Finding[]): RiskReport {
  const counted = findings.filter((f) => (f.status === 'warn' || f.status === 'fail') && SEVERITY_WEIGHT[f.severity] > 0);
  const logs = counted.map((f) => -Math.log(1 - SEVERITY_WEIGHT[f.severity]));
  const sumLog = logs.reduce((a, b) => a + b, 0);
  const raw = 100 * (1 - Math.exp(-sumLog));
  const score = Math.round(raw);
  const contributions: RiskContribution[] = counted
    .map((f, i) => ({
      findingId: f.id,
      check: f.check,
      title: f.title,
      severity: f.severity,
      points: Number(((raw * logs[i]!) / sumLog).toFixed(1)),
      share: Number((logs[i]! / sumLog).toFixed(3)),
    }))
    .sort((a, b) => b.points - a.points || a.findingId.localeCompare(b.findingId));
  const level = RISK_LEVELS.find((l) => score < l.below)!.level;
  return { score, level, contributions, formula: RISK_FORMULA };
}
