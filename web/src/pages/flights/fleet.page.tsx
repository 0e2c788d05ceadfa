import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { listFleetRisk, type FleetRiskItem, type RiskLevel } from '../../api/flights';
import { ListUpdating, PagedListView } from '../../components/paged-list';
import { Badge, EmptyState, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { RISK_TONE, vehicleLabel } from './flight-format';
import './flights.css';

const LEVELS: readonly RiskLevel[] = ['critical', 'high', 'moderate', 'low'];

/** The fleet ranked by the risk of each aircraft's latest analysed flight (server-side ranking). */
export default function FleetPage() {
  useTitle('Fleet risk');
  const filters = useUrlFilters();
  const level = LEVELS.find((l) => l === filters.get('level'));
  const list = usePagedList<FleetRiskItem>(level ?? '', (cursor, signal) =>
    listFleetRisk({ limit: 50, cursor, level }, signal),
  );
  const missingApi = list.error instanceof ApiError && list.error.status === 404;
  return (
    <>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/flights">Flights</Link> <span aria-hidden="true">/</span>
      </nav>
      <PageHeader
        title="Fleet risk"
        subtitle="Aircraft ranked by the risk score of their latest analysed flight, highest first."
      />
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Risk level">
          {[undefined, ...LEVELS].map((l) => (
            <button
              key={l ?? 'all'}
              type="button"
              aria-pressed={level === l}
              className={level === l ? 'active' : ''}
              onClick={() => filters.set('level', l ?? '')}
            >
              {l ? l[0]!.toUpperCase() + l.slice(1) : 'All'}
            </button>
          ))}
        </div>
        <ListUpdating list={list} />
      </div>
      {missingApi ? (
        <EmptyState title="Fleet ranking is not available on this server yet">
          It appears once the flight analysis service is deployed.
        </EmptyState>
      ) : (
        <PagedListView
          list={list}
          noun="aircraft"
          what="the fleet"
          loadingLabel="Ranking the fleet…"
          empty={
            <EmptyState
              title={
                level ? `No aircraft at ${level} risk` : 'No analysed flights of registered aircraft yet'
              }
            >
              {level
                ? null
                : 'Assign flights to aircraft when uploading; each is ranked once its flights are analysed.'}
            </EmptyState>
          }
          count={(n) => `${n} aircraft ranked`}
        >
          <table className="table" data-testid="fleet-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Aircraft</th>
                <th scope="col">Risk</th>
                <th scope="col">What drives it</th>
                <th scope="col">Latest analysed flight</th>
                <th scope="col" className="num">
                  Flights
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.aircraft.id}>
                  <td className="num muted">{r.rank}</td>
                  <td>
                    <strong>{r.aircraft.name}</strong>
                    <div className="muted small">{vehicleLabel(r.latest.vehicleType)}</div>
                  </td>
                  <td className="nowrap">
                    <strong className="risk-inline">{r.latest.riskScore}</strong>{' '}
                    <Badge tone={RISK_TONE[r.latest.riskLevel]}>{r.latest.riskLevel}</Badge>
                  </td>
                  <td>
                    {r.latest.drivers.length ? (
                      <ul className="drivers">
                        {r.latest.drivers.slice(0, 3).map((d) => (
                          <li key={d.findingId}>
                            {d.title} <span className="muted small">+{Math.round(d.points)}</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">nothing flagged</span>
                    )}
                  </td>
                  <td>
                    <Link
                      to={`/flights/${r.latest.flightId}`}
                      className="truncate block"
                      title={r.latest.originalName}
                    >
                      {r.latest.originalName}
                    </Link>
                    <div className="muted small">{formatDateTime(r.latest.flightAt)}</div>
                  </td>
                  <td className="num">
                    <Link to={`/flights?aircraft=${encodeURIComponent(r.aircraft.id)}`}>
                      {r.analyzedFlights}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </PagedListView>
      )}
    </>
  );
}
