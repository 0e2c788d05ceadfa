/**
 * The report's text sections as HTML fragments: summary, vehicle type with evidence, risk with ranked
 * contributions, the findings table (evidence values against thresholds with their sources), anomalies
 * and log facts. Every value is escaped with `escapeXml` — reasons, parameter names, firmware strings
 * and logged messages all come from the (untrusted) log.
 */
import type { EvidenceValue, Finding, FlightReport, TimeRange } from '../report.js';
import type { FlightSignals } from '../../signals/flight-signals.js';
import { FEATURES } from '../../anomaly/window-features.js';
import { escapeXml as e } from '../svg/escape.js';

const MAX_RANGES = 8;
const MAX_MESSAGES = 150;
const FEATURE_LABEL: ReadonlyMap<string, { label: string; unit: string }> = new Map(FEATURES.map((f) => [f.name, { label: f.label, unit: f.unit }]));

export const rel = (t: number, origin: number): string => {
  const x = t - origin;
  return (Math.abs(x) < 0.05 ? 0 : x).toFixed(1);
};

function fmtValue(v: EvidenceValue | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  return String(v);
}

function ranges(rs: readonly TimeRange[], origin: number): string {
  if (!rs.length) return '<span class="muted">—</span>';
  const shown = rs.slice(0, MAX_RANGES).map((r) => `${rel(r.start, origin)}–${rel(r.end, origin)} s${r.label ? ` (${e(r.label)})` : ''}`);
  return `${shown.join('<br>')}${rs.length > MAX_RANGES ? `<br><span class="muted">+${rs.length - MAX_RANGES} more</span>` : ''}`;
}

const badge = (cls: string, text: string): string => `<span class="badge ${cls}">${e(text)}</span>`;

export function summaryHtml(r: FlightReport): string {
  const v = r.vehicle;
  const card = (k: string, val: string, cls = ''): string => `<div class="card"><div class="k">${e(k)}</div><div class="v ${cls}">${val}</div></div>`;
  const failing = r.findings.filter((f) => f.status === 'fail').length;
  const warning = r.findings.filter((f) => f.status === 'warn').length;
  return `<div class="summary">${[
    card('Risk', `${r.risk.score}/100 · ${e(r.risk.level)}`, `risk-${e(r.risk.level)}`),
    card('Vehicle', `${e(v.type.replace('_', ' '))}${v.subtype ? ` <span class="muted">(${e(v.subtype)})</span>` : ''}`),
    card('Findings', `${failing} fail · ${warning} warn`),
    card('Flight', `${r.stats.flyingS.toFixed(0)} s flying`),
    card('Log', `${e(r.log.format)} · ${r.log.durationS === null ? '—' : `${r.log.durationS.toFixed(0)} s`}`),
  ].join('')}</div>`;
}

export function vehicleHtml(r: FlightReport): string {
  const v = r.vehicle;
  const facts = [
    ['type', v.type],
    ['subtype', v.subtype],
    ['frame', v.frame],
    ['rotors', v.rotorCount],
    ['confidence', `${Math.round(v.confidence * 100)} %`],
    ['decided by', v.method === 'metadata' ? 'the log’s metadata' : v.method === 'behaviour' ? 'flight behaviour (no usable metadata)' : 'nothing (no evidence)'],
  ].filter(([, x]) => x !== undefined);
  const rows = v.evidence.map((x) => `<tr><td class="mono">${e(x.source)}</td><td class="mono">${e(x.value)}</td><td>${e(x.implies)}</td><td class="num">${x.weight.toFixed(2)}</td></tr>`);
  return `<table><tbody>${facts.map(([k, x]) => `<tr><th>${e(k)}</th><td>${e(x)}</td></tr>`).join('')}</tbody></table>
<h3>Evidence</h3>${rows.length ? `<table><thead><tr><th>source</th><th>value</th><th>implies</th><th class="num">weight</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p class="muted">No evidence: the type is unknown.</p>'}`;
}

export function riskHtml(r: FlightReport): string {
  const rows = r.risk.contributions.map(
    (c) =>
      `<tr><td><a href="#f-${anchor(c.findingId)}">${e(c.title)}</a> <span class="muted mono">${e(c.findingId)}</span></td><td>${badge(`sev-${c.severity}`, c.severity)}</td><td class="num">${c.points.toFixed(1)}</td><td><span class="bar" style="width:${Math.max(2, Math.round(c.share * 160))}px"></span> ${Math.round(c.share * 100)} %</td></tr>`,
  );
  return `<p>Score <strong class="risk-${e(r.risk.level)}">${r.risk.score}/100 (${e(r.risk.level)})</strong>. <span class="note">${e(r.risk.formula)}</span></p>
${rows.length ? `<table><thead><tr><th>finding driving the score</th><th>severity</th><th class="num">points</th><th>share</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p>No warning or failing finding contributes to the score. A score of 0 means nothing was flagged, so check the findings for anything that could not be judged.</p>'}`;
}

/** A fragment id from a finding id, restricted to safe characters (finding ids can carry instance names). */
export const anchor = (id: string): string => id.replace(/[^A-Za-z0-9_.-]/g, '_');

function evidenceCell(f: Finding): string {
  const vals = Object.entries(f.evidence.values).map(([k, v]) => `<li><span class="mono">${e(k)}</span>: <strong>${e(fmtValue(v))}</strong></li>`);
  const ths = f.evidence.thresholds.map((t) => `<li><span class="mono">${e(t.name)}</span> = ${e(fmtValue(t.value))} ${e(t.unit)} <span class="muted">(${e(t.source)})</span></li>`);
  return `${vals.length ? `<ul class="kv">${vals.join('')}</ul>` : ''}${ths.length ? `<div class="muted" style="margin-top:4px">thresholds</div><ul class="kv">${ths.join('')}</ul>` : ''}` || '<span class="muted">—</span>';
}

export function findingsHtml(r: FlightReport, plotFor: (f: Finding) => string | undefined): string {
  const origin = r.log.startS ?? 0;
  const rows = r.findings.map((f) => {
    const plot = plotFor(f);
    const sup = f.suppressions.map((x) => `<li><span class="mono">${e(x.id)}</span>: ${e(x.reason)}</li>`);
    return `<tr id="f-${anchor(f.id)}" class="row-${e(f.status)}"><td>${badge(`sev-${f.severity}`, f.severity)}</td><td>${badge(`st-${f.status}`, f.status.replace('_', ' '))}</td>
<td><strong>${e(f.title)}</strong><br><span class="mono muted">${e(f.id)}</span>${plot ? `<br><a href="#plot-${plot}">plot</a>` : ''}</td>
<td>${e(f.reason)}${sup.length ? `<div class="muted" style="margin-top:4px">suppressed</div><ul class="kv">${sup.join('')}</ul>` : ''}</td>
<td>${evidenceCell(f)}</td><td class="mono">${f.evidence.signals.map((x) => e(x)).join('<br>') || '<span class="muted">—</span>'}</td><td>${ranges(f.evidence.timeRanges, origin)}</td></tr>`;
  });
  return `<p class="note">Every check's result, most severe first. Times are seconds since the log start. Thresholds name their source (thresholds table ${e(r.thresholdsVersion)}).</p>
<table class="findings"><colgroup><col class="c-sev"><col class="c-st"><col class="c-check"><col class="c-reason"><col class="c-ev"><col class="c-sig"><col class="c-tr"></colgroup><thead><tr><th>severity</th><th>status</th><th>check</th><th>reason</th><th>evidence vs thresholds</th><th>signals</th><th>time ranges</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function anomaliesHtml(r: FlightReport): string {
  const m = r.anomalyModel;
  const origin = r.log.startS ?? 0;
  const model = m.modelId ? `${e(m.modelId)} ${e(m.modelVersion ?? '')}${m.vehicleClass ? `, trained on ${e(m.vehicleClass)} reference flights` : ''}` : 'no model';
  const head = `<p>Anomaly model: ${model} — status <strong>${e(m.status.replace('_', ' '))}</strong>${m.reason ? `: ${e(m.reason)}` : ''}.</p>
<p class="note">The model does not judge safety: it marks stretches of this flight that are unusual compared with reference flights of the same vehicle class, and names the features that make them unusual. It does not change the risk score.</p>`;
  if (!r.anomalies.length) return `${head}<p>${m.status === 'ok' ? 'Nothing in this flight was unusual compared with reference flights.' : 'No ranges.'}</p>`;
  const rows = r.anomalies.map((a) => {
    const attrs = a.attributions.map((x) => {
      const f = FEATURE_LABEL.get(x.feature);
      const unit = f && f.unit !== 'fraction' && f.unit !== 'ratio' ? ` ${f.unit}` : '';
      const vs = x.value !== undefined ? ` ${fmtValue(x.value)}${unit}${x.baseline !== undefined ? ` vs typical ${fmtValue(x.baseline)}${unit}` : ''}` : '';
      return `<li>${e(f?.label ?? x.feature)}:${e(vs)} <span class="muted">(${Math.round(x.contribution * 100)} %)</span></li>`;
    });
    return `<tr><td class="num">${rel(a.start, origin)}–${rel(a.end, origin)} s</td><td class="num">${a.score.toFixed(2)}</td><td><ul class="kv">${attrs.join('')}</ul></td></tr>`;
  });
  return `${head}<table><thead><tr><th class="num">time</th><th class="num">score</th><th>unusual compared with reference flights because of (share of the score)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function logFactsHtml(r: FlightReport, s: FlightSignals): string {
  const l = r.log;
  const facts: [string, string | number | undefined | null][] = [
    ['format', `${l.format}${l.formatVersion ? ` ${l.formatVersion}` : ''}`],
    ['autopilot', l.autopilot],
    ['firmware', l.firmware],
    ['firmware version', l.firmwareVersion],
    ['hardware', l.hardware],
    ['duration', l.durationS === null ? null : `${l.durationS} s (log clock ${l.startS} → ${l.endS} s)`],
    ['completeness', l.completeness],
    ['dropouts', `${l.dropouts.count} (${l.dropouts.totalS} s)`],
    ['armed / flying', `${r.stats.armedS} s / ${r.stats.flyingS} s${s.flyingSource ? ` (flying from ${s.flyingSource})` : ''}`],
    ['max altitude / tilt', `${r.stats.maxAltitudeM ?? '—'} m / ${r.stats.maxTiltDeg ?? '—'}°`],
    ['parameters', s.parameters.size],
    ['versions', `report schema ${r.schemaVersion}, engine ${r.engineVersion}, thresholds ${r.thresholdsVersion}`],
  ];
  const table = `<table><tbody>${facts.map(([k, v]) => `<tr><th style="width:190px">${e(k)}</th><td${k === 'firmware' ? ' class="mono"' : ''}>${v === undefined || v === null ? '<span class="muted">not in this log</span>' : e(v)}</td></tr>`).join('')}</tbody></table>`;
  const warn = l.warnings.length ? `<h3>Decoder warnings and signals not in this log</h3><ul>${l.warnings.map((w) => `<li class="mono">${e(w)}</li>`).join('')}</ul>` : '';
  return table + warn;
}

/** Events the signal model extracted and text the vehicle logged (bounded). */
export function messagesHtml(r: FlightReport, s: FlightSignals): string {
  const origin = r.log.startS ?? 0;
  const ev = s.events.slice(0, MAX_MESSAGES).map((x) => `<tr><td class="num">${rel(x.time, origin)}</td><td>${e(x.kind)}</td><td class="mono">${e(x.name)}</td><td>${e(x.detail ?? '')} <span class="muted mono">${e(x.source)}</span></td></tr>`);
  const msgs = s.messages.slice(0, MAX_MESSAGES).map((m) => `<tr><td class="num">${rel(m.time, origin)}</td><td>${m.severity ?? '—'}</td><td class="mono">${e(m.text)}</td></tr>`);
  const more = (n: number): string => (n > MAX_MESSAGES ? `<p class="note">First ${MAX_MESSAGES} of ${n}.</p>` : '');
  return `<h3>Events</h3>${ev.length ? `<table><thead><tr><th class="num">time (s)</th><th>kind</th><th>name</th><th>detail / source</th></tr></thead><tbody>${ev.join('')}</tbody></table>${more(s.events.length)}` : '<p class="muted">No failsafes, errors or events in this log.</p>'}
<h3>Logged messages</h3>${msgs.length ? `<table><thead><tr><th class="num">time (s)</th><th>severity</th><th>text</th></tr></thead><tbody>${msgs.join('')}</tbody></table>${more(s.messages.length)}` : '<p class="muted">No logged text in this log.</p>'}`;
}
