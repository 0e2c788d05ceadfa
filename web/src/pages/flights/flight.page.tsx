import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  FLIGHT_PERM,
  deleteFlight,
  flightFileUrl,
  getAircraft,
  getAnalysis,
  getFlight,
  type Finding,
  type Flight,
  type TimeRange,
} from '../../api/flights';
import { useMe } from '../../auth/session';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { Badge, ErrorBanner, LoadingBlock, PageError, PageHeader, Spinner } from '../../components/ui';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useAsync, useTitle } from '../../lib/use-async';
import { AnalysisPanel } from './analysis-panel';
import { FlightPlots, type PlotState } from './flight-plots';
import {
  COMPLETENESS_LABEL,
  COMPLETENESS_TONE,
  FORMAT_LABEL,
  STATUS_LABEL,
  STATUS_TONE,
  formatBytes,
  formatDuration,
  isPending,
  vehicleLabel,
} from './flight-format';
import './flights.css';

const POLL_MS = 2000;
const ANALYSIS_POLL_MS = 5000;

/** Plot layout and window in the URL: `plots=a,b;c&active=0&from=…&to=…` (shareable, back button). */
function plotStateFrom(p: URLSearchParams): PlotState | null {
  const raw = p.get('plots');
  if (raw === null) return null;
  const plots = raw.split(';').map((g) => g.split(',').filter(Boolean));
  const from = Number(p.get('from'));
  const to = Number(p.get('to'));
  const active = Math.max(0, Math.min(Number(p.get('active') ?? 0) || 0, Math.max(plots.length - 1, 0)));
  const window =
    p.get('from') !== null &&
    p.get('to') !== null &&
    Number.isFinite(from) &&
    Number.isFinite(to) &&
    to > from
      ? { start: from, end: to }
      : null;
  return { plots, active, window };
}

function writePlotState(p: URLSearchParams, s: PlotState): URLSearchParams {
  p.set('plots', s.plots.map((g) => g.join(',')).join(';'));
  if (s.active) p.set('active', String(s.active));
  else p.delete('active');
  if (s.window) {
    p.set('from', s.window.start.toFixed(3));
    p.set('to', s.window.end.toFixed(3));
  } else {
    p.delete('from');
    p.delete('to');
  }
  return p;
}

function Kv({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** `aircraftName` undefined while it loads. */
function SummaryCard({ flight, aircraftName }: { flight: Flight; aircraftName: string | null | undefined }) {
  const s = flight.summary;
  const warnings = s.warnings?.first ?? [];
  const notable = s.messages?.notable ?? [];
  const origin = s.timeRange?.start ?? 0;
  return (
    <section className="card flight-summary" aria-labelledby="summary-title">
      <h2 id="summary-title" className="sr-only">
        Summary
      </h2>
      <dl className="kv summary-grid" data-testid="flight-summary">
        <Kv label="Format">
          {flight.format ? (FORMAT_LABEL[flight.format] ?? flight.format) : '—'}
          {s.formatVersion ? (
            <span className="muted">
              {' '}
              {/^\d/.test(s.formatVersion) ? `v${s.formatVersion}` : s.formatVersion}
            </span>
          ) : null}
        </Kv>
        <Kv label="Firmware">
          {[s.autopilot, s.firmware ?? s.firmwareVersion].filter(Boolean).join(' · ') || '—'}
          {s.hardware ? <div className="muted small">{s.hardware}</div> : null}
        </Kv>
        <Kv label="Duration">{formatDuration(flight.durationS ?? s.durationS)}</Kv>
        <Kv label="Completeness">
          {s.completeness ? (
            <Badge tone={COMPLETENESS_TONE[s.completeness]}>{COMPLETENESS_LABEL[s.completeness]}</Badge>
          ) : (
            '—'
          )}
        </Kv>
        <Kv label="Vehicle (declared)">{vehicleLabel(s.vehicleType ?? flight.vehicleType)}</Kv>
        <Kv label="Aircraft">
          {!flight.aircraftId ? (
            <span className="muted">not assigned</span>
          ) : aircraftName === undefined ? (
            <span className="muted">…</span>
          ) : (
            (aircraftName ?? <span className="muted">not visible to you</span>)
          )}
        </Kv>
        <Kv label="Flown">
          {flight.startedAt ? (
            formatDateTime(flight.startedAt)
          ) : (
            <span className="muted">no absolute time in log</span>
          )}
        </Kv>
        <Kv label="File">
          {formatBytes(flight.sizeBytes)}
          <div className="muted small hash" title={`SHA-256 ${flight.sha256}`}>
            {flight.sha256.slice(0, 16)}…
          </div>
        </Kv>
        {flight.status === 'decoded' ? (
          <>
            <Kv label="Signals">{formatNumber(s.signalCount)}</Kv>
            <Kv label="Warnings">
              {s.warnings?.count ? <Badge tone="warn">{formatNumber(s.warnings.count)}</Badge> : '0'}
              {s.dropouts?.count ? (
                <span className="muted small">
                  {' '}
                  · {s.dropouts.count} dropouts ({s.dropouts.totalS.toFixed(2)} s)
                </span>
              ) : null}
            </Kv>
            <Kv label="Log messages">{formatNumber(s.messages?.count)}</Kv>
            <Kv label="Parameters">{formatNumber(s.parameters)}</Kv>
          </>
        ) : null}
      </dl>
      {warnings.length || notable.length || (s.missing?.length ?? 0) > 0 ? (
        <details className="summary-details">
          <summary>Decode warnings, notable log messages and missing signals</summary>
          {warnings.length ? (
            <>
              <h3>Decode warnings</h3>
              <ul className="small">
                {warnings.map((w, i) => (
                  <li key={i}>
                    <code>byte {formatNumber(w.offset)}</code> {w.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {notable.length ? (
            <>
              <h3>Notable log messages</h3>
              <ul className="small">
                {notable.map((m, i) => (
                  <li key={i}>
                    <code>{m.timeS === null ? '—' : `${(m.timeS - origin).toFixed(1)} s`}</code> {m.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {s.missing?.length ? (
            <>
              <h3>Signals this log does not have</h3>
              <ul className="small muted">
                {s.missing.slice(0, 50).map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}

/** Union of a finding's ranges with 15 % margin, at least 4 s wide: the window to jump to. */
function windowFor(ranges: readonly TimeRange[]): { start: number; end: number } | null {
  if (ranges.length === 0) return null;
  let a = Math.min(...ranges.map((r) => r.start));
  let b = Math.max(...ranges.map((r) => r.end));
  const pad = Math.max((b - a) * 0.15, 2 - (b - a) / 2, 0.5);
  a -= pad;
  b += pad;
  return { start: a, end: b };
}

/** One flight: status, summary, interactive signal plots and the analysis next to them. */
export default function FlightPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const flight = useAsync((signal) => getFlight(id, signal), [id]);
  const f = flight.data;
  useTitle(f ? f.originalName || 'Flight' : 'Flight');
  const aircraft = useAsync(
    (signal) =>
      f?.aircraftId && me.can(FLIGHT_PERM.aircraftRead)
        ? getAircraft(f.aircraftId, signal)
        : Promise.resolve(null),
    [f?.aircraftId],
  );

  // Poll while the flight is still being decoded.
  const pending = f ? isPending(f.status) : false;
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(flight.reload, POLL_MS);
    return () => clearInterval(t);
  }, [pending, flight.reload]);

  const decoded = f?.status === 'decoded';
  const analysis = useAsync(
    (signal) => (decoded ? getAnalysis(id, signal) : Promise.resolve(null)),
    [id, decoded],
  );
  const analysisPending =
    decoded &&
    analysis.status === 'ready' &&
    analysis.data?.kind === 'none' &&
    analysis.data.code === 'ANALYSIS_PENDING';
  useEffect(() => {
    if (!analysisPending) return;
    const t = setInterval(analysis.reload, ANALYSIS_POLL_MS);
    return () => clearInterval(t);
  }, [analysisPending, analysis.reload]);

  const plotState = useMemo(() => plotStateFrom(params), [params]);
  const selectedFindingId = params.get('finding');
  const report = analysis.data?.kind === 'ready' ? analysis.data.report : null;
  const noAnalysis = analysis.data?.kind === 'none' ? analysis.data : null;
  const selectedFinding = report?.findings.find((x) => x.id === selectedFindingId);
  const [anomalyShade, setAnomalyShade] = useState<TimeRange[] | null>(null);
  const shaded = anomalyShade ?? selectedFinding?.evidence.timeRanges ?? [];

  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  if (flight.status === 'loading') return <LoadingBlock label="Loading flight…" />;
  if (flight.status === 'error')
    return <PageError error={flight.error} what="this flight" onRetry={flight.reload} />;
  const fl = flight.data;
  const origin = fl.summary.signalTimeRange?.start ?? fl.summary.timeRange?.start ?? 0;

  const changePlots = (next: PlotState, replace = false) =>
    setParams((p) => writePlotState(p, next), { replace });

  const selectFinding = (finding: Finding, range?: TimeRange) => {
    const isAnomaly = finding.id.startsWith('anomaly:');
    setAnomalyShade(isAnomaly ? [...finding.evidence.timeRanges] : null);
    const w = windowFor(range ? [range] : finding.evidence.timeRanges);
    setParams((p) => {
      if (!isAnomaly) p.set('finding', finding.id);
      else p.delete('finding');
      if (w) {
        const base = plotState ?? { plots: [], active: 0, window: null };
        // Keep the user's plots; without any yet, the plots component fills its defaults.
        if (base.plots.length) writePlotState(p, { ...base, window: w });
        else {
          p.set('from', w.start.toFixed(3));
          p.set('to', w.end.toFixed(3));
        }
      }
      return p;
    });
  };

  const onDelete = async () => {
    setDeleting(true);
    try {
      await deleteFlight(fl.id);
      void navigate('/flights', { replace: true });
    } catch (err) {
      setDeleteError(err);
      setDeleting(false);
      setConfirmDelete(false);
    }
  };

  // With only from/to in the URL (a jump before any plot was chosen), the default plots use that window.
  const urlWindow =
    !plotState && params.get('from') && params.get('to')
      ? { start: Number(params.get('from')), end: Number(params.get('to')) }
      : null;

  return (
    <>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/flights">Flights</Link> <span aria-hidden="true">/</span>
      </nav>
      <PageHeader
        title={fl.originalName || 'Flight'}
        subtitle={
          <span className="flight-subtitle">
            <span data-testid="flight-status" data-status={fl.status}>
              <Badge tone={STATUS_TONE[fl.status]}>
                {pending ? <span className="dot-pulse" aria-hidden="true" /> : null}
                {STATUS_LABEL[fl.status]}
              </Badge>
            </span>
            <span>uploaded {formatDateTime(fl.uploadedAt)}</span>
            {fl.decodedAt ? <span>decoded {formatDateTime(fl.decodedAt)}</span> : null}
          </span>
        }
        actions={
          <>
            <a className="btn" href={flightFileUrl(fl.id)} download data-testid="download-original">
              <Icon name="download" /> Original file
            </a>
            {me.can(FLIGHT_PERM.flightsWrite) ? (
              <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            ) : null}
          </>
        }
      />
      {deleteError ? <ErrorBanner error={deleteError} /> : null}
      {pending ? (
        <div className="banner banner-info" role="status">
          <Spinner label={fl.status === 'queued' ? 'Queued for decoding…' : 'Decoding the log…'} />
        </div>
      ) : null}
      {fl.status === 'failed' && fl.error ? (
        <div className="banner banner-error" role="alert" data-testid="decode-error">
          <Icon name="alert" />
          <span className="banner-text">
            <strong>{fl.error.code}</strong>: {fl.error.message}
            {fl.error.offset !== null ? (
              <>
                {' '}
                — at byte <code>{formatNumber(fl.error.offset)}</code> of {formatNumber(fl.sizeBytes)}.
              </>
            ) : null}
            <span className="block small">
              Recognised as: {fl.detection}. The file is kept; download it to inspect.
            </span>
          </span>
        </div>
      ) : null}
      <SummaryCard
        flight={fl}
        aircraftName={
          aircraft.status === 'ready'
            ? (aircraft.data?.name ?? null)
            : aircraft.status === 'error'
              ? null
              : undefined
        }
      />
      {fl.status === 'decoded' ? (
        <div className="flight-grid">
          <section className="card plots-card" aria-label="Signals">
            <FlightPlots
              flightId={fl.id}
              state={plotState}
              initialWindow={urlWindow}
              onChange={changePlots}
              shaded={shaded}
            />
          </section>
          <aside className="analysis-col" aria-label="Analysis">
            {analysis.status === 'loading' ? (
              <section className="card">
                <LoadingBlock label="Loading analysis…" />
              </section>
            ) : analysis.status === 'error' ? (
              <section className="card">
                <ErrorBanner error={analysis.error} onRetry={analysis.reload} />
              </section>
            ) : report ? (
              <>
                {analysis.data?.kind === 'ready' && analysis.data.stale ? (
                  <div className="banner banner-info small" role="status">
                    Made by an older analysis engine; a re-analysis is queued.
                  </div>
                ) : null}
                <AnalysisPanel
                  flightId={fl.id}
                  report={report}
                  origin={origin}
                  selectedId={selectedFindingId}
                  onSelect={selectFinding}
                />
              </>
            ) : noAnalysis && noAnalysis.code !== 'ANALYSIS_PENDING' ? (
              <section className="card" data-testid="analysis-unavailable">
                <h2>No analysis</h2>
                <p className="muted small">
                  <code>{noAnalysis.code}</code> {noAnalysis.detail}
                </p>
              </section>
            ) : (
              <section className="card analysis-pending" data-testid="analysis-pending">
                <h2>Analysis pending</h2>
                <p className="muted small">
                  The safety analysis (vehicle type, checks, risk score) runs after decoding. This panel fills
                  in when it is ready.
                </p>
                <Spinner label="Waiting for the analysis…" />
              </section>
            )}
          </aside>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this flight?"
        confirmLabel="Delete flight"
        danger
        busy={deleting}
        onConfirm={() => void onDelete()}
        onClose={() => setConfirmDelete(false)}
      >
        <p>
          <strong>{fl.originalName}</strong> and its decoded signals will be removed. The deletion is recorded
          in the audit log.
        </p>
      </ConfirmDialog>
    </>
  );
}
