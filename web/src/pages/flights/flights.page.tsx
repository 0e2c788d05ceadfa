import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import {
  FLIGHT_PERM,
  FLIGHT_STATUSES,
  VEHICLE_TYPES,
  getFlight,
  listAllAircraft,
  listFlights,
  type Flight,
  type FlightQuery,
  type FlightStatus,
} from '../../api/flights';
import { useMe } from '../../auth/session';
import { Icon } from '../../components/icons';
import { ListUpdating, PagedListView } from '../../components/paged-list';
import { Badge, EmptyState, PageHeader } from '../../components/ui';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAsync, useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import {
  STATUS_LABEL,
  STATUS_TONE,
  formatBytes,
  formatDuration,
  isPending,
  vehicleLabel,
} from './flight-format';
import { UploadPanel } from './upload-panel';
import './flights.css';

const PAGE = 50;
const FORMAT_SHORT: Record<string, string> = {
  ulog: 'ULog',
  dataflash: 'DataFlash',
  tlog: 'tlog',
  csv: 'CSV',
};
const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** How often flights still decoding are re-read (their badge turns "Decoded" without a reload). */
const POLL_MS = 2000;

/** Filters from the URL; dates are local calendar days, sent as [day 00:00, next day 00:00). */
function queryFrom(p: URLSearchParams): FlightQuery {
  const q: FlightQuery = {};
  const aircraftId = p.get('aircraft');
  const status = p.get('status');
  const vehicleType = p.get('vehicle');
  if (aircraftId) q.aircraftId = aircraftId;
  if (status && (FLIGHT_STATUSES as readonly string[]).includes(status)) q.status = status as FlightStatus;
  if (vehicleType && (VEHICLE_TYPES as readonly string[]).includes(vehicleType)) q.vehicleType = vehicleType;
  const by = p.get('dateBy') === 'uploaded' ? 'uploaded' : 'flown';
  const day = (v: string | null, plus = 0) => {
    if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
    const d = new Date(`${v}T00:00`);
    if (Number.isNaN(d.getTime())) return undefined;
    d.setDate(d.getDate() + plus);
    return d.toISOString();
  };
  const from = day(p.get('from'));
  const to = day(p.get('to'), 1);
  if (by === 'flown') {
    if (from) q.startedAfter = from;
    if (to) q.startedBefore = to;
    if (from || to) q.sort = '-startedAt';
  } else {
    if (from) q.uploadedAfter = from;
    if (to) q.uploadedBefore = to;
  }
  return q;
}

/** Flights: upload with progress, filters in the URL, keyset pages with infinite scroll. */
export default function FlightsPage() {
  useTitle('Flights');
  const me = useMe();
  const canUpload = me.can(FLIGHT_PERM.flightsWrite);
  const canSeeAircraft = me.can(FLIGHT_PERM.aircraftRead);
  const filters = useUrlFilters();
  const query = queryFrom(filters.params);
  const key = JSON.stringify(query);
  const aircraft = useAsync(
    (signal) => (canSeeAircraft ? listAllAircraft(signal) : Promise.resolve([])),
    [canSeeAircraft],
  );
  const aircraftById = useMemo(() => new Map((aircraft.data ?? []).map((a) => [a.id, a])), [aircraft.data]);

  const list = usePagedList<Flight>(key, (cursor, signal) =>
    listFlights({ ...query, limit: PAGE, cursor }, signal),
  );

  // Re-read flights that are still queued/decoding until they settle.
  const pendingIds = list.items.filter((f) => isPending(f.status)).map((f) => f.id);
  const pendingKey = pendingIds.slice(0, 25).join(',');
  const listRef = useRef(list);
  listRef.current = list;
  useEffect(() => {
    if (!pendingKey) return;
    const ctrl = new AbortController();
    const timer = setInterval(() => {
      for (const id of pendingKey.split(',')) {
        getFlight(id, ctrl.signal).then(
          (f) => {
            if (!ctrl.signal.aborted)
              listRef.current.update((x) => x.id === f.id, { ...f, summary: f.summary });
          },
          () => undefined,
        );
      }
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, [pendingKey]);

  const hasFilters = ['aircraft', 'status', 'vehicle', 'from', 'to'].some((k) => filters.get(k));

  return (
    <>
      <PageHeader
        title="Flights"
        subtitle="Flight logs of the fleet: upload, decode status, and each flight’s signals and findings."
        actions={
          <>
            {canSeeAircraft ? (
              <Link className="btn" to="/aircraft">
                Aircraft registry
              </Link>
            ) : null}
            <Link className="btn" to="/fleet">
              Fleet risk
            </Link>
          </>
        }
      />
      {canUpload ? <UploadPanel aircraft={aircraft.data ?? []} onUploaded={() => list.reload()} /> : null}

      <div className="toolbar filters" role="search" aria-label="Filter flights">
        {canSeeAircraft ? (
          <div className="field inline">
            <label htmlFor="f-aircraft">Aircraft</label>
            <select
              id="f-aircraft"
              value={filters.get('aircraft')}
              onChange={(e) => filters.set('aircraft', e.target.value)}
            >
              <option value="">All aircraft</option>
              {(aircraft.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field inline">
          <label htmlFor="f-status">Status</label>
          <select
            id="f-status"
            value={query.status ?? ''}
            onChange={(e) => filters.set('status', e.target.value)}
          >
            <option value="">Any status</option>
            {FLIGHT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="f-vehicle">Vehicle type</label>
          <select
            id="f-vehicle"
            value={query.vehicleType ?? ''}
            onChange={(e) => filters.set('vehicle', e.target.value)}
          >
            <option value="">Any type</option>
            {VEHICLE_TYPES.map((t) => (
              <option key={t} value={t}>
                {vehicleLabel(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="f-date-by">Date</label>
          <select
            id="f-date-by"
            value={filters.get('dateBy') === 'uploaded' ? 'uploaded' : 'flown'}
            onChange={(e) => filters.set('dateBy', e.target.value === 'uploaded' ? 'uploaded' : '')}
            title="Flown: the log’s own UTC start (flights whose log has no absolute time are left out when a date is set). Uploaded: when the file arrived."
          >
            <option value="flown">Flown</option>
            <option value="uploaded">Uploaded</option>
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="f-from">From</label>
          <input
            id="f-from"
            type="date"
            value={filters.get('from')}
            onChange={(e) => filters.set('from', e.target.value)}
          />
        </div>
        <div className="field inline">
          <label htmlFor="f-to">To</label>
          <input
            id="f-to"
            type="date"
            value={filters.get('to')}
            onChange={(e) => filters.set('to', e.target.value)}
          />
        </div>
        {hasFilters ? (
          <div className="toolbar-buttons">
            <button type="button" className="btn btn-ghost" onClick={filters.clear}>
              Reset
            </button>
          </div>
        ) : null}
        <ListUpdating list={list} />
      </div>

      <PagedListView
        list={list}
        noun="flights"
        empty={
          <EmptyState title={hasFilters ? 'No flights match these filters' : 'No flights yet'}>
            {hasFilters
              ? 'Clear a filter or widen the dates.'
              : canUpload
                ? 'Upload a log above to start.'
                : null}
          </EmptyState>
        }
        count={(n) => (
          <>
            <Icon name="check" size={14} /> {n} flight{n === 1 ? '' : 's'}
          </>
        )}
      >
        <table className="table flights-table" data-testid="flights-table">
          <thead>
            <tr>
              <th scope="col">Flight log</th>
              <th scope="col">Aircraft</th>
              <th scope="col">Status</th>
              <th scope="col">Format</th>
              <th scope="col">Vehicle</th>
              <th scope="col">Flown</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col" className="num">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((f) => (
              <tr key={f.id} data-flight-id={f.id}>
                <td className="cell-name">
                  <Link to={`/flights/${f.id}`} className="truncate" title={f.originalName}>
                    {f.originalName || f.id}
                  </Link>
                  <div className="muted small" title={formatDateTime(f.uploadedAt)}>
                    uploaded {formatRelative(f.uploadedAt)}
                  </div>
                </td>
                <td>
                  {f.aircraftId ? (
                    (aircraftById.get(f.aircraftId)?.name ?? <span className="muted">…</span>)
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <span data-testid="flight-status" data-status={f.status}>
                    <Badge tone={STATUS_TONE[f.status]}>
                      {isPending(f.status) ? <span className="dot-pulse" aria-hidden="true" /> : null}
                      {STATUS_LABEL[f.status]}
                    </Badge>
                  </span>
                  {f.status === 'failed' && f.error ? (
                    <div className="muted small truncate" title={f.error.message}>
                      {f.error.code}
                    </div>
                  ) : null}
                </td>
                <td className="nowrap">{f.format ? (FORMAT_SHORT[f.format] ?? f.format) : '—'}</td>
                <td>{vehicleLabel(f.vehicleType)}</td>
                <td className="nowrap">
                  {f.startedAt ? (
                    <span title={formatDateTime(f.startedAt)}>
                      {shortDateTime.format(new Date(f.startedAt))}
                    </span>
                  ) : (
                    <span className="muted" title="The log carries no absolute time">
                      —
                    </span>
                  )}
                </td>
                <td className="num nowrap">{formatDuration(f.durationS)}</td>
                <td className="num nowrap">{formatBytes(f.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
    </>
  );
}
