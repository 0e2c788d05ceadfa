import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import {
  AIRCRAFT_TYPES,
  FLIGHT_PERM,
  createAircraft,
  deleteAircraft,
  listAircraft,
  updateAircraft,
  type Aircraft,
  type AircraftType,
} from '../../api/flights';
import { useMe } from '../../auth/session';
import { ConfirmDialog, Dialog } from '../../components/dialog';
import { Field, SelectField } from '../../components/field';
import { Icon } from '../../components/icons';
import { ListUpdating, PagedListView } from '../../components/paged-list';
import { EmptyState, ErrorBanner, NoticeBanner, PageHeader } from '../../components/ui';
import { formatDate, formatNumber } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { useUrlFilters } from '../../lib/use-url-filters';
import { vehicleLabel } from './flight-format';
import './flights.css';

function AircraftDialog({
  open,
  aircraft,
  onClose,
  onSaved,
}: {
  open: boolean;
  aircraft: Aircraft | null;
  onClose: () => void;
  onSaved: (a: Aircraft, created: boolean) => void;
}) {
  const [name, setName] = useState('');
  const [serial, setSerial] = useState('');
  const [type, setType] = useState<AircraftType>('other');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    setName(aircraft?.name ?? '');
    setSerial(aircraft?.serialNumber ?? '');
    setType(aircraft?.type ?? 'multirotor');
    setNotes(aircraft?.notes ?? '');
    setError(null);
  }, [open, aircraft]);
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  const nameTaken = error instanceof ApiError && error.problem?.code === 'AIRCRAFT_NAME_TAKEN';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), serialNumber: serial.trim() || null, type, notes };
    try {
      const saved = aircraft ? await updateAircraft(aircraft.id, body) : await createAircraft(body);
      onSaved(saved, !aircraft);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={aircraft ? `Edit ${aircraft.name}` : 'Register an aircraft'}
      onClose={onClose}
      testId="aircraft-dialog"
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        {error && !nameTaken && Object.keys(fields).length === 0 ? <ErrorBanner error={error} focus /> : null}
        <Field
          label="Name or tail number"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          autoFocus
          error={nameTaken ? errorMessage(error) : fields.name}
          hint="Unique in your organisation, e.g. G-SKYA or Quad-07."
        />
        <Field
          label="Serial number"
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          maxLength={100}
          error={fields.serialNumber}
        />
        <SelectField
          label="Type"
          value={type}
          onChange={(e) => setType(e.target.value as AircraftType)}
          error={fields.type}
        >
          {AIRCRAFT_TYPES.map((t) => (
            <option key={t} value={t}>
              {vehicleLabel(t)}
            </option>
          ))}
        </SelectField>
        <div className={`field${fields.notes ? ' field-invalid' : ''}`}>
          <label htmlFor="aircraft-notes">Notes</label>
          <textarea
            id="aircraft-notes"
            rows={3}
            maxLength={4000}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
          {fields.notes ? <div className="field-error">{fields.notes}</div> : null}
        </div>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? 'Saving…' : aircraft ? 'Save changes' : 'Register aircraft'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The aircraft registry: list by name (filter by type in the URL), register, edit, delete. */
export default function AircraftPage() {
  useTitle('Aircraft');
  const me = useMe();
  const canWrite = me.can(FLIGHT_PERM.aircraftWrite);
  const filters = useUrlFilters();
  const type = AIRCRAFT_TYPES.find((t) => t === filters.get('type'));
  const list = usePagedList<Aircraft>(type ?? '', (cursor, signal) =>
    listAircraft({ limit: 50, cursor, type }, signal),
  );
  const [editing, setEditing] = useState<Aircraft | null>(null);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<Aircraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await deleteAircraft(removing.id);
      setNotice(`${removing.name} was removed from the registry.`);
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };

  return (
    <>
      <nav className="crumbs small" aria-label="Breadcrumb">
        <Link to="/flights">Flights</Link> <span aria-hidden="true">/</span>
      </nav>
      <PageHeader
        title="Aircraft"
        subtitle="The registry of your fleet; flights can be assigned to an aircraft when uploaded."
        actions={
          canWrite ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              <Icon name="plus" /> Register aircraft
            </button>
          ) : null
        }
      />
      <NoticeBanner notice={notice} onDismiss={() => setNotice(null)} />
      {error ? <ErrorBanner error={error} /> : null}
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="aircraft-type">Type</label>
          <select id="aircraft-type" value={type ?? ''} onChange={(e) => filters.set('type', e.target.value)}>
            <option value="">All types</option>
            {AIRCRAFT_TYPES.map((t) => (
              <option key={t} value={t}>
                {vehicleLabel(t)}
              </option>
            ))}
          </select>
        </div>
        <ListUpdating list={list} />
      </div>
      <PagedListView
        list={list}
        noun="aircraft"
        what="the aircraft registry"
        empty={
          <EmptyState title={type ? 'No aircraft of this type' : 'No aircraft registered yet'}>
            {canWrite && !type ? 'Register the first one with “Register aircraft”.' : null}
          </EmptyState>
        }
        count={(n) => `${n} aircraft`}
      >
        <table className="table" data-testid="aircraft-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Serial number</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Flights
              </th>
              <th scope="col">Notes</th>
              <th scope="col">Registered</th>
              {canWrite ? (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <strong>{a.name}</strong>
                </td>
                <td>{a.serialNumber ?? <span className="muted">—</span>}</td>
                <td>{vehicleLabel(a.type)}</td>
                <td className="num">
                  {a.flightCount > 0 ? (
                    <Link to={`/flights?aircraft=${encodeURIComponent(a.id)}`}>
                      {formatNumber(a.flightCount)}
                    </Link>
                  ) : (
                    '0'
                  )}
                </td>
                <td className="truncate notes-cell" title={a.notes}>
                  {a.notes || <span className="muted">—</span>}
                </td>
                <td className="nowrap">{formatDate(a.createdAt)}</td>
                {canWrite ? (
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setEditing(a)}
                      aria-label={`Edit ${a.name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-danger-ghost"
                      onClick={() => setRemoving(a)}
                      disabled={a.flightCount > 0}
                      title={a.flightCount > 0 ? 'Aircraft with flights cannot be deleted' : undefined}
                      aria-label={`Delete ${a.name}`}
                    >
                      Delete
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListView>
      {canWrite ? (
        <>
          <AircraftDialog
            open={creating || editing !== null}
            aircraft={editing}
            onClose={() => {
              setCreating(false);
              setEditing(null);
            }}
            onSaved={(a, created) => {
              setCreating(false);
              setEditing(null);
              setNotice(created ? `${a.name} was registered.` : `Changes to ${a.name} were saved.`);
              if (created) list.reload();
              else list.update((x) => x.id === a.id, a);
            }}
          />
          <ConfirmDialog
            open={removing !== null}
            title={`Delete ${removing?.name ?? ''}?`}
            confirmLabel="Delete aircraft"
            danger
            busy={busy}
            onConfirm={() => void remove()}
            onClose={() => setRemoving(null)}
          >
            <p>The aircraft is removed from the registry. This is recorded in the audit log.</p>
          </ConfirmDialog>
        </>
      ) : null}
    </>
  );
}
