import { Link } from 'react-router';
import {
  getAnalysis,
  listAllAircraft,
  listFlights,
  type Aircraft,
  type Flight,
  type FlightReport,
} from '../../api/flights';
import { Badge, EmptyState, LoadingBlock, PageError, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAsync, useTitle } from '../../lib/use-async';
import { RISK_TONE, vehicleLabel } from './flight-format';
import './flights.css';

/** Aircraft looked at per visit: each costs two small requests until a fleet endpoint exists. */
const FLEET_CAP = 100;
const CONCURRENCY = 4;

interface FleetRow {
  aircraft: Aircraft;
  flight: Flight | null;
  report: FlightReport | null;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Latest analysed flight per aircraft, ranked by its risk score. Built from the flights list and
 * each flight's analysis (the API has no fleet aggregate yet), so it is capped at 100 aircraft.
 */
async function loadFleet(signal: AbortSignal): Promise<{ rows: FleetRow[]; capped: boolean }> {
  const all = await listAllAircraft(signal);
  const aircraft = all.slice(0, FLEET_CAP);
  const rows = await mapLimited(aircraft, CONCURRENCY, async (a) => {
    const flights = await listFlights({ aircraftId: a.id, status: 'decoded', limit: 1 }, signal);
    const flight = flights.items[0] ?? null;
    const report = flight ? await getAnalysis(flight.id, signal) : null;
    return { aircraft: a, flight, report };
  });
  rows.sort(
    (x, y) =>
      (y.report?.risk.score ?? -1) - (x.report?.risk.score ?? -1) || x.aircraft.name.localeCompare(y.aircraft.name),
  );
  return { rows, capped: all.length > FLEET_CAP };
}

export default function FleetPage() {
  useTitle('Fleet risk');
  const state = useAsync(loadFleet, []);
  return (
    <>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/flights">Flights</Link> <span aria-hidden="true">/</span>
      </nav>
      <PageHeader
        title="Fleet risk"
        subtitle="Each aircraft ranked by the risk score of its latest decoded flight."
      />
      {state.status === 'loading' ? (
        <LoadingBlock label="Collecting the latest analysis of each aircraft…" />
      ) : state.status === 'error' ? (
        <PageError error={state.error} what="the fleet" onRetry={state.reload} />
      ) : state.data.rows.length === 0 ? (
        <EmptyState title="No aircraft registered">
          Register aircraft and assign flights to them when uploading to rank the fleet.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="fleet-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Aircraft</th>
                <th scope="col">Type</th>
                <th scope="col">Risk</th>
                <th scope="col">Main driver</th>
                <th scope="col">Latest flight</th>
              </tr>
            </thead>
            <tbody>
              {state.data.rows.map((r, i) => (
                <tr key={r.aircraft.id}>
                  <td className="num muted">{r.report ? i + 1 : ''}</td>
                  <td>
                    <strong>{r.aircraft.name}</strong>
                    {r.aircraft.serialNumber ? <div className="muted small">{r.aircraft.serialNumber}</div> : null}
                  </td>
                  <td>{vehicleLabel(r.report?.vehicle.type ?? r.aircraft.type)}</td>
                  <td>
                    {r.report ? (
                      <span className="nowrap">
                        <strong>{r.report.risk.score}</strong>{' '}
                        <Badge tone={RISK_TONE[r.report.risk.level]}>{r.report.risk.level}</Badge>
                      </span>
                    ) : r.flight ? (
                      <span className="muted small">analysis pending</span>
                    ) : (
                      <span className="muted small">no decoded flight</span>
                    )}
                  </td>
                  <td className="truncate">
                    {r.report?.risk.contributions[0]?.title ?? <span className="muted">—</span>}
                  </td>
                  <td>
                    {r.flight ? (
                      <>
                        <Link to={`/flights/${r.flight.id}`}>{r.flight.originalName}</Link>
                        <div className="muted small">{formatDateTime(r.flight.startedAt ?? r.flight.uploadedAt)}</div>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {state.data.capped ? (
            <p className="table-foot muted small">Showing the first {FLEET_CAP} aircraft by name.</p>
          ) : null}
        </div>
      )}
    </>
  );
}
