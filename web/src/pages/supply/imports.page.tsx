import { Fragment, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import {
  IMPORT_TYPES,
  firstRejects,
  SUPPLY_PERM,
  getImport,
  listImports,
  rejectsUrl,
  uploadImport,
  type ImportRecord,
  type ImportReject,
  type ImportType,
} from '../../api/supply';
import { useMe } from '../../auth/session';
import { Icon } from '../../components/icons';
import { PagedListView } from '../../components/paged-list';
import { Badge, EmptyState, ErrorBanner, LoadingBlock, PageHeader } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useTitle } from '../../lib/use-async';
import { usePagedList } from '../../lib/use-paged-list';
import { SupplyTabs } from './supply-format';
import './supply.css';

const STATUS_TONE = { queued: 'neutral', running: 'info', succeeded: 'ok', failed: 'danger' } as const;
const active = (i: ImportRecord) => i.status === 'queued' || i.status === 'running';

function Progress({ value, label }: { value: number; label: string }) {
  const pctv = Math.max(0, Math.min(100, value * 100));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pctv)}
    >
      <div className="progress-bar" style={{ width: `${pctv}%` }} />
      <span className="progress-text">{Math.floor(pctv)} %</span>
    </div>
  );
}

const REJECTS_SHOWN = 50;

/** The first rejected rows of an import, with row, column and reason, and the full download. */
function Rejects({ imp }: { imp: ImportRecord }) {
  const [state, setState] = useState<{ rows?: ImportReject[]; error?: string }>({});
  useEffect(() => {
    const ctrl = new AbortController();
    firstRejects(imp.id, REJECTS_SHOWN, ctrl.signal).then(
      (rows) => setState({ rows }),
      (e: unknown) => {
        if (!ctrl.signal.aborted) setState({ error: errorMessage(e) });
      },
    );
    return () => ctrl.abort();
  }, [imp.id]);
  if (state.error) return <ErrorBanner error={state.error} />;
  if (!state.rows) return <LoadingBlock label="Loading rejected rows…" />;
  return (
    <div className="rejects" data-testid="import-rejects">
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col" className="num">
              {imp.format === 'csv' ? 'Line' : 'Record'}
            </th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
            <th scope="col">Row as received</th>
          </tr>
        </thead>
        <tbody>
          {state.rows.map((r, i) => (
            <tr key={`${r.row}-${i}`}>
              <td className="num">{r.row}</td>
              <td>
                <code>{r.column ?? '—'}</code>
              </td>
              <td>{r.reason}</td>
              <td
                className="truncate mono small"
                title={typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)}
              >
                {typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">
        {imp.rowsRejected > state.rows.length
          ? `First ${state.rows.length} of ${imp.rowsRejected.toLocaleString()} rejected rows · `
          : ''}
        <a href={rejectsUrl(imp.id)} download>
          <Icon name="download" size={14} /> Download all as CSV
        </a>
      </p>
    </div>
  );
}

/** Imports: upload a file with byte progress, then follow the import job; download rejected rows. */
export default function ImportsPage() {
  useTitle('Imports');
  const canImport = useMe().can(SUPPLY_PERM.importsWrite);
  const list = usePagedList<ImportRecord>('imports', (cursor, signal) =>
    listImports({ limit: 30, cursor }, signal),
  );
  const [type, setType] = useState<ImportType>('parts');
  const [openRejects, setOpenRejects] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ name: string; loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const listRef = useRef(list);
  listRef.current = list;

  const running = list.items
    .filter(active)
    .map((i) => i.id)
    .join(',');
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      for (const id of running.split(','))
        getImport(id).then(
          (imp) => listRef.current.update((x) => x.id === id, imp),
          () => undefined,
        );
    }, 1000);
    return () => clearInterval(t);
  }, [running]);

  const send = (file: File) => {
    setError(null);
    setUpload({ name: file.name, loaded: 0, total: file.size });
    uploadImport(file, type, (loaded, total) => setUpload({ name: file.name, loaded, total }))
      .done.then(
        () => list.reload(),
        (err: unknown) => setError(errorMessage(err)),
      )
      .finally(() => {
        setUpload(null);
        if (input.current) input.current.value = '';
      });
  };

  return (
    <>
      <PageHeader
        title="Imports"
        subtitle="Load supply data from CSV, JSON or NDJSON. Every row is validated; rejected rows are kept and downloadable."
      />
      <SupplyTabs />
      {canImport ? (
        <section className="card">
          <div className="upload-row">
            <div className="field">
              <label htmlFor="import-type">What the file holds</label>
              <select id="import-type" value={type} onChange={(e) => setType(e.target.value as ImportType)}>
                {IMPORT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t === 'raf'
                      ? 'RAF spares demand (mapping)'
                      : t === 'cyport'
                        ? 'CyPort port disruptions (mapping)'
                        : t.replace('_', ' ')}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="import-file">File</label>
              <input
                id="import-file"
                ref={input}
                type="file"
                accept=".csv,.json,.ndjson,.jsonl"
                disabled={upload !== null}
                onChange={(e) => e.target.files?.[0] && send(e.target.files[0])}
              />
            </div>
          </div>
          {upload ? (
            <Progress
              value={upload.total ? upload.loaded / upload.total : 0}
              label={`Uploading ${upload.name}`}
            />
          ) : null}
          {error ? <ErrorBanner error={error} /> : null}
        </section>
      ) : null}
      <PagedListView list={list} noun="imports" empty={<EmptyState title="No imports yet" />}>
        <table className="table" data-testid="imports-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Accepted
              </th>
              <th scope="col" className="num">
                Rejected
              </th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <Fragment key={i.id}>
                <tr>
                  <td className="truncate">{i.fileName ?? i.id}</td>
                  <td>{i.type}</td>
                  <td className="cell-status">
                    <span data-status={i.status}>
                      <Badge tone={STATUS_TONE[i.status]}>{i.status}</Badge>
                    </span>
                    {active(i) ? (
                      <Progress value={i.progress} label={`Import of ${i.fileName ?? i.id}`} />
                    ) : null}
                    {i.error?.message ? <div className="small text-danger">{i.error.message}</div> : null}
                  </td>
                  <td className="num">{i.rowsRead.toLocaleString()}</td>
                  <td className="num">{i.rowsAccepted.toLocaleString()}</td>
                  <td className="num">
                    {i.rowsRejected > 0 ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={openRejects === i.id}
                        aria-label={`${i.rowsRejected} rejected: show row, column and reason`}
                        onClick={() => setOpenRejects(openRejects === i.id ? null : i.id)}
                      >
                        {i.rowsRejected.toLocaleString()} {openRejects === i.id ? '▴' : '▾'}
                      </button>
                    ) : (
                      '0'
                    )}
                  </td>
                  <td className="nowrap">{formatDateTime(i.startedAt ?? i.createdAt)}</td>
                </tr>
                {openRejects === i.id ? (
                  <tr className="rejects-row">
                    <td colSpan={7}>
                      <Rejects imp={i} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </PagedListView>
    </>
  );
}
