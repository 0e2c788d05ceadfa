import { useState } from 'react';
import {
  reportHtmlUrl,
  reportPdfUrl,
  type Finding,
  type FindingStatus,
  type FlightReport,
  type TimeRange,
} from '../../api/flights';
import { formatFlightTime } from '../../charts/signal-plot';
import { Icon } from '../../components/icons';
import { Badge } from '../../components/ui';
import { RISK_TONE, SEVERITY_TONE, vehicleLabel } from './flight-format';

const STATUS_TEXT: Record<FindingStatus, string> = {
  fail: 'Fail',
  warn: 'Warning',
  pass: 'Pass',
  not_applicable: 'Not applicable',
  insufficient_data: 'Insufficient data',
};
const STATUS_TONE: Record<FindingStatus, 'danger' | 'warn' | 'ok' | 'neutral'> = {
  fail: 'danger',
  warn: 'warn',
  pass: 'ok',
  not_applicable: 'neutral',
  insufficient_data: 'neutral',
};

const fmtValue = (v: number | string | boolean | null) =>
  v === null
    ? '—'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? String(v)
        : Number(v.toPrecision(4)).toString()
      : String(v);

function FindingItem({
  f,
  origin,
  selected,
  onSelect,
}: {
  f: Finding;
  origin: number;
  selected: boolean;
  onSelect: (f: Finding, range?: TimeRange) => void;
}) {
  const [open, setOpen] = useState(selected);
  const ranges = f.evidence.timeRanges;
  const values = Object.entries(f.evidence.values);
  return (
    <li
      className={`finding${selected ? ' selected' : ''} finding-${f.status}`}
      data-testid="finding"
      data-finding-id={f.id}
    >
      <button
        type="button"
        className="finding-head"
        onClick={() => {
          setOpen(true);
          onSelect(f);
        }}
        aria-expanded={open}
        title={ranges.length ? 'Show its time range on the plots' : undefined}
      >
        <span className="finding-badges">
          <Badge tone={STATUS_TONE[f.status]}>{STATUS_TEXT[f.status]}</Badge>
          {f.severity !== 'none' ? <Badge tone={SEVERITY_TONE[f.severity]}>{f.severity}</Badge> : null}
        </span>
        <strong className="finding-title">{f.title}</strong>
        {ranges.length ? (
          <span className="muted small nowrap">
            {formatFlightTime((ranges[0]?.start ?? origin) - origin)}
            {ranges.length > 1 ? ` +${ranges.length - 1}` : ''}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="finding-body">
          <p>{f.reason}</p>
          {values.length ? (
            <dl className="evidence-values">
              {values.slice(0, 12).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{fmtValue(v)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {f.evidence.thresholds.length ? (
            <ul className="evidence-list small">
              {f.evidence.thresholds.map((t) => (
                <li key={t.name}>
                  Threshold <code>{t.name}</code> = {t.value} {t.unit}{' '}
                  <span className="muted">({t.source})</span>
                </li>
              ))}
            </ul>
          ) : null}
          {f.evidence.signals.length ? (
            <div className="small muted">Signals: {f.evidence.signals.join(', ')}</div>
          ) : null}
          {ranges.length ? (
            <div className="chips wrap range-chips">
              {ranges.slice(0, 12).map((r, i) => (
                <button key={i} type="button" className="chip chip-btn" onClick={() => onSelect(f, r)}>
                  {formatFlightTime(r.start - origin)}–{formatFlightTime(r.end - origin)}
                  {r.label ? ` · ${r.label}` : ''}
                </button>
              ))}
            </div>
          ) : null}
          {f.suppressions.length ? (
            <div className="small muted">
              Suppressed: {f.suppressions.map((s) => `${s.id} (${s.reason})`).join('; ')}
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * The analysis next to the plots: risk with its ranked contributions, the detected vehicle type and
 * the findings with evidence. Selecting a finding moves the plots to its time range and shades it.
 */
export function AnalysisPanel({
  flightId,
  report,
  origin,
  selectedId,
  onSelect,
}: {
  flightId: string;
  report: FlightReport;
  origin: number;
  selectedId: string | null;
  onSelect: (f: Finding, range?: TimeRange) => void;
}) {
  const [showAll, setShowAll] = useState(false);
  const flagged = report.findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  const shown = showAll ? report.findings : flagged;
  const { risk, vehicle } = report;
  return (
    <div className="analysis" data-testid="analysis-panel">
      <section className="card analysis-risk">
        <div className="risk-head">
          <div>
            <div className="muted small">Flight risk</div>
            <div className="risk-score" data-testid="risk-score">
              {risk.score}
              <span className="muted small">/100</span>
            </div>
          </div>
          <Badge tone={RISK_TONE[risk.level]}>{risk.level}</Badge>
        </div>
        {risk.contributions.length ? (
          <ol className="contributions" aria-label="What drives the score">
            {risk.contributions.slice(0, 6).map((c) => (
              <li key={c.findingId}>
                <button
                  type="button"
                  className="contribution"
                  onClick={() => {
                    const f = report.findings.find((x) => x.id === c.findingId);
                    if (f) onSelect(f);
                  }}
                >
                  <span className="truncate">{c.title}</span>
                  <span className="muted small nowrap">+{Math.round(c.points)}</span>
                </button>
                <span className="bar" style={{ width: `${Math.max(2, c.share * 100)}%` }} />
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted small">No finding adds to the risk.</p>
        )}
        <p className="muted small" title="Risk formula">
          {risk.formula}
        </p>
        <div className="vehicle-line">
          <span>
            <strong>{vehicleLabel(vehicle.type)}</strong>
            {vehicle.subtype ? ` · ${vehicle.subtype}` : ''}
            {vehicle.rotorCount ? ` · ${vehicle.rotorCount} rotors` : ''}
          </span>
          <span
            className="muted small"
            title={vehicle.evidence.map((e) => `${e.source}: ${e.value} → ${e.implies}`).join('\n')}
          >
            {Math.round(vehicle.confidence * 100)} % confident · from {vehicle.method}
          </span>
        </div>
        <div className="report-links">
          <a className="btn btn-small" href={reportHtmlUrl(flightId)} target="_blank" rel="noopener">
            <Icon name="audit" size={14} /> HTML report
          </a>
          <a className="btn btn-small" href={reportPdfUrl(flightId)} download>
            <Icon name="download" size={14} /> PDF
          </a>
        </div>
      </section>
      <section className="card analysis-findings">
        <div className="card-head">
          <h2>Findings</h2>
          <label className="checkbox small">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
            <span>All checks ({report.findings.length})</span>
          </label>
        </div>
        {shown.length === 0 ? (
          <p className="muted small">
            <Icon name="check" size={14} /> No warnings or failures. {report.findings.length} checks ran.
          </p>
        ) : (
          <ul className="findings">
            {shown.map((f) => (
              <FindingItem
                key={f.id}
                f={f}
                origin={origin}
                selected={f.id === selectedId}
                onSelect={onSelect}
              />
            ))}
          </ul>
        )}
        {report.anomalies.length ? (
          <>
            <h3>Unusual behaviour</h3>
            <ul className="findings">
              {report.anomalies.slice(0, 10).map((a, i) => (
                <li key={i} className="finding">
                  <button
                    type="button"
                    className="finding-head"
                    onClick={() =>
                      onSelect(
                        {
                          id: `anomaly:${i}`,
                          check: 'anomaly',
                          family: 'flight',
                          status: 'warn',
                          severity: 'low',
                          title: 'Anomaly',
                          reason: '',
                          evidence: { values: {}, thresholds: [], signals: [], timeRanges: [a] },
                          suppressions: [],
                        },
                        a,
                      )
                    }
                  >
                    <Badge tone="info">{Math.round(a.score * 100)}</Badge>
                    <span className="finding-title">
                      {a.attributions
                        .slice(0, 2)
                        .map((x) => x.feature)
                        .join(', ') || 'Unusual window'}
                    </span>
                    <span className="muted small nowrap">{formatFlightTime(a.start - origin)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="muted small">
          Engine {report.engineVersion} · thresholds {report.thresholdsVersion}
        </p>
      </section>
    </div>
  );
}
