import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import {
  getSignalCatalog,
  getSignalWindows,
  type Interval,
  type SignalInfo,
  type SignalWindow,
  type TimeRange,
} from '../../api/flights';
import SignalPlot, { formatFlightTime } from '../../charts/signal-plot';
import { Icon } from '../../components/icons';
import { ErrorBanner, LoadingBlock, PageError, Spinner } from '../../components/ui';
import { useAsync } from '../../lib/use-async';
import { useDebounced } from '../../lib/use-debounced';

const MAX_SIGNALS = 50;
const MAX_PER_PLOT = 6;

export interface PlotState {
  /** Signal names per stacked plot. */
  plots: string[][];
  /** Selected plot, where picked signals go. */
  active: number;
  /** Visible window in log-clock seconds, null = the whole flight. */
  window: Interval | null;
}

const DEFAULT_GROUPS: readonly (readonly string[])[] = [
  ['attitude.roll', 'attitudeSetpoint.roll'],
  ['position.altRel', 'position.altMsl', 'position.baroAlt', 'position.z'],
];

/** A sensible first view: roll vs setpoint, and an altitude, from what the flight actually has. */
export function defaultPlots(catalog: readonly SignalInfo[]): string[][] {
  const have = new Set(catalog.map((s) => s.name));
  const plots: string[][] = [];
  const [att, alt] = DEFAULT_GROUPS;
  const a = (att ?? []).filter((n) => have.has(n));
  if (a.length) plots.push(a);
  const h = (alt ?? []).find((n) => have.has(n));
  if (h) plots.push([h]);
  if (plots.length === 0 && catalog[0]) plots.push([catalog[0].name]);
  return plots;
}

/** Search terms are all required, in any order: "batt volt" finds batteries.0.voltage. */
function matches(s: SignalInfo, terms: readonly string[]): boolean {
  const hay = `${s.name} ${s.source} ${s.unit ?? ''}`.toLowerCase();
  return terms.every((t) => hay.includes(t));
}

function SignalPicker({
  catalog,
  selected,
  activeIndex,
  onPick,
}: {
  catalog: readonly SignalInfo[];
  selected: ReadonlySet<string>;
  activeIndex: number;
  onPick: (name: string) => void;
}) {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  const found = catalog.filter((s) => matches(s, terms));
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="signal-picker" ref={box}>
      <label htmlFor="signal-search" className="sr-only">
        Search signals
      </label>
      <input
        id="signal-search"
        type="search"
        placeholder={`Add a signal to plot ${activeIndex + 1} — search ${catalog.length} signals, e.g. batt volt`}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          // Close without clearing: the browser's own Escape on a search field empties it and re-opens.
          if (e.key === 'Escape') {
            e.preventDefault();
            setOpen(false);
          }
        }}
        autoComplete="off"
        aria-expanded={open}
        aria-controls="signal-list"
      />
      {open ? (
        <ul className="signal-list" id="signal-list" aria-label="Available signals" data-testid="signal-list">
          {found.slice(0, 300).map((s) => (
            <li key={s.name}>
              <button
                type="button"
                className={`signal-item${selected.has(s.name) ? ' on' : ''}`}
                onClick={() => onPick(s.name)}
                title={`${s.source} · ${s.sampleCount.toLocaleString()} samples`}
                aria-pressed={selected.has(s.name)}
              >
                <span className="signal-check" aria-hidden="true">
                  {selected.has(s.name) ? <Icon name="check" size={14} /> : null}
                </span>
                <span className="signal-name">{s.name}</span>
                <span className="muted small signal-source truncate">{s.source}</span>
                <span className="muted small">{s.unit ?? ''}</span>
              </button>
            </li>
          ))}
          {found.length === 0 ? <li className="muted small pad">No signal matches “{q}”.</li> : null}
          {found.length > 300 ? (
            <li className="muted small pad">{found.length - 300} more: refine the search.</li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Stacked, interactive plots of any signals of a decoded flight on one shared time axis. Every zoom
 * or pan re-fetches the visible window at the plots' pixel width, so detail appears as you zoom in
 * (min/max downsampling on the server keeps every spike visible at any zoom).
 */
export function FlightPlots({
  flightId,
  state,
  initialWindow,
  onChange,
  shaded,
}: {
  flightId: string;
  state: PlotState | null;
  /** Window for the default plots when `state` is null. */
  initialWindow?: Interval | null;
  onChange: (next: PlotState, replace?: boolean) => void;
  shaded: readonly TimeRange[];
}) {
  const catalog = useAsync((signal) => getSignalCatalog(flightId, signal), [flightId]);
  const [width, setWidth] = useState(0);
  const area = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.round(el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [catalog.status]);

  const signals = catalog.data?.signals ?? [];
  const full: Interval | null = useMemo(() => {
    const tr = catalog.data?.timeRange;
    if (tr && tr.end > tr.start) return tr;
    if (!signals.length) return null;
    return { start: Math.min(...signals.map((s) => s.start)), end: Math.max(...signals.map((s) => s.end)) };
  }, [catalog.data]);

  const effective: PlotState | null = useMemo(() => {
    if (!catalog.data) return null;
    if (state) return state;
    return { plots: defaultPlots(signals), active: 0, window: initialWindow ?? null };
  }, [catalog.data, state, initialWindow?.start, initialWindow?.end]);

  const win: [number, number] = effective?.window
    ? [effective.window.start, effective.window.end]
    : full
      ? [full.start, full.end]
      : [0, 1];

  const names = useMemo(
    () => [...new Set((effective?.plots ?? []).flat())].slice(0, MAX_SIGNALS),
    [effective],
  );
  // Plot width in pixels minus the axes ≈ what one point per pixel column needs.
  const maxPoints = Math.min(20_000, Math.max(200, Math.round(width - 120)));
  const request = useDebounced(
    JSON.stringify({ names, from: win[0], to: win[1], maxPoints: width ? maxPoints : 0 }),
    120,
  );
  const [data, setData] = useState<Map<string, SignalWindow>>(new Map());
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const r = JSON.parse(request) as { names: string[]; from: number; to: number; maxPoints: number };
    if (r.names.length === 0 || r.maxPoints === 0) return;
    const ctrl = new AbortController();
    setLoading(true);
    // A little beyond the window so a short pan does not show empty edges while the next fetch runs.
    const pad = (r.to - r.from) * 0.25;
    getSignalWindows(
      flightId,
      { names: r.names, from: r.from - pad, to: r.to + pad, maxPoints: Math.round(r.maxPoints * 1.5) },
      ctrl.signal,
    ).then(
      (res) => {
        if (ctrl.signal.aborted) return;
        setData(new Map(res.signals.map((s) => [s.name, s])));
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [request, flightId]);

  if (catalog.status === 'loading') return <LoadingBlock label="Loading signals…" />;
  if (catalog.status === 'error')
    return <PageError error={catalog.error} what="this flight’s signals" onRetry={catalog.reload} />;
  if (!effective || !full) {
    return <div className="state-block">This flight has no plottable signals.</div>;
  }

  const st = effective;
  const origin = full.start;
  const span = win[1] - win[0];
  const setWindow = (from: number, to: number, replace = false) => {
    const minSpan = 0.05;
    let a = from;
    let b = to;
    if (b - a < minSpan) {
      const mid = (a + b) / 2;
      a = mid - minSpan / 2;
      b = mid + minSpan / 2;
    }
    const whole = full.end - full.start;
    if (b - a >= whole) return onChange({ ...st, window: null }, replace);
    if (a < full.start) [a, b] = [full.start, full.start + (b - a)];
    if (b > full.end) [a, b] = [full.end - (b - a), full.end];
    onChange({ ...st, window: { start: a, end: b } }, replace);
  };
  const zoomBy = (k: number) => {
    const mid = (win[0] + win[1]) / 2;
    setWindow(mid - (span * k) / 2, mid + (span * k) / 2);
  };
  const panBy = (k: number) => setWindow(win[0] + span * k, win[1] + span * k);
  const selected = new Set(st.plots.flat());

  const pick = (name: string) => {
    const plots = st.plots.map((p) => [...p]);
    if (plots.length === 0) plots.push([]);
    const target = plots[Math.min(st.active, plots.length - 1)]!;
    const at = target.indexOf(name);
    if (at >= 0) target.splice(at, 1);
    else if (target.length < MAX_PER_PLOT && selected.size < MAX_SIGNALS) target.push(name);
    onChange({ ...st, plots: plots.filter((p, i) => p.length > 0 || i === st.active), active: st.active });
  };
  const removeSignal = (pi: number, name: string) => {
    const plots = st.plots.map((p, i) => (i === pi ? p.filter((n) => n !== name) : p));
    const kept = plots.filter((p) => p.length > 0);
    onChange({ ...st, plots: kept, active: Math.min(st.active, Math.max(kept.length - 1, 0)) });
  };
  const addPlot = () =>
    onChange({
      ...st,
      plots: [...st.plots.filter((p) => p.length > 0), []],
      active: st.plots.filter((p) => p.length > 0).length,
    });

  return (
    <div className="plots-layout">
      <SignalPicker catalog={signals} selected={selected} activeIndex={st.active} onPick={pick} />
      <div className="plots-main" ref={area}>
        <div className="plot-toolbar" role="toolbar" aria-label="Plot window">
          <div className="segmented">
            <button
              type="button"
              className="icon-btn"
              onClick={() => panBy(-0.5)}
              aria-label="Pan left"
              title="Pan left"
            >
              <Icon name="down" style={{ transform: 'rotate(90deg)' }} />
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => zoomBy(0.5)}
              aria-label="Zoom in"
              title="Zoom in"
            >
              <Icon name="plus" />
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => zoomBy(2)}
              aria-label="Zoom out"
              title="Zoom out"
            >
              <span className="minus" aria-hidden="true">
                −
              </span>
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => panBy(0.5)}
              aria-label="Pan right"
              title="Pan right"
            >
              <Icon name="down" style={{ transform: 'rotate(-90deg)' }} />
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => onChange({ ...st, window: null })}
              disabled={!st.window}
            >
              Whole flight
            </button>
          </div>
          <span className="muted small nowrap" data-testid="plot-window">
            {formatFlightTime(win[0] - origin, span)} – {formatFlightTime(win[1] - origin, span)}
            {st.window ? ` of ${formatFlightTime(full.end - origin)}` : ' (whole flight)'}
          </span>
          <span className="muted small plot-hint">
            Drag to zoom · Shift-drag to pan · Ctrl+wheel to zoom · double-click resets
          </span>
          {loading ? <Spinner label="Loading…" /> : null}
        </div>
        {error ? <ErrorBanner error={errorMessage(error)} /> : null}
        {st.plots.map((plotNames, pi) => {
          const plotSignals = plotNames
            .map((n) => {
              const d = data.get(n);
              return d ? { name: n, unit: d.unit, t: d.t, v: d.v } : null;
            })
            .filter((s): s is NonNullable<typeof s> => s !== null);
          return (
            <section
              key={pi}
              className={`plot-card${pi === st.active ? ' active' : ''}`}
              data-testid="plot-card"
              aria-label={`Plot ${pi + 1}`}
            >
              <header className="plot-card-head">
                <button
                  type="button"
                  className="plot-select"
                  onClick={() => onChange({ ...st, active: pi }, true)}
                  aria-pressed={pi === st.active}
                  title="Signals you pick go to the selected plot"
                >
                  Plot {pi + 1}
                </button>
                <span className="chips">
                  {plotNames.map((n) => (
                    <span key={n} className="chip chip-removable">
                      {n}
                      <button type="button" aria-label={`Remove ${n}`} onClick={() => removeSignal(pi, n)}>
                        <Icon name="close" size={12} />
                      </button>
                    </span>
                  ))}
                  {plotNames.length === 0 ? (
                    <span className="muted small">Pick signals on the left.</span>
                  ) : null}
                </span>
              </header>
              {plotSignals.length > 0 ? (
                <SignalPlot
                  signals={plotSignals}
                  window={win}
                  origin={origin}
                  shaded={shaded}
                  syncKey={`flight-${flightId}`}
                  onZoom={(a, b) => setWindow(a, b)}
                  onPan={(a, b) => setWindow(a, b, true)}
                  onReset={() => onChange({ ...st, window: null })}
                  ariaLabel={`Plot ${pi + 1}: ${plotNames.join(', ')}`}
                />
              ) : plotNames.length > 0 ? (
                <div className="plot-placeholder">
                  <Spinner label="Loading…" />
                </div>
              ) : (
                <div className="plot-placeholder muted small">Empty plot</div>
              )}
            </section>
          );
        })}
        <button type="button" className="btn btn-small" onClick={addPlot}>
          <Icon name="plus" size={14} /> Add a plot
        </button>
      </div>
    </div>
  );
}
