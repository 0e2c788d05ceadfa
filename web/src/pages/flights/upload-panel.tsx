import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage, ApiError } from '../../api/client';
import { uploadFlight, type Aircraft, type Flight, type UploadHandle } from '../../api/flights';
import { Icon } from '../../components/icons';
import { Badge } from '../../components/ui';
import { formatBytes } from './flight-format';

interface UploadJob {
  key: number;
  file: File;
  aircraftId: string;
  state: 'waiting' | 'sending' | 'done' | 'failed' | 'cancelled';
  loaded: number;
  startedAt: number;
  /** Bytes per second over the transfer so far. */
  rate: number;
  flight?: Flight;
  duplicate?: boolean;
  error?: string;
  failedFlightId?: string;
}

let nextKey = 1;

/**
 * Upload of one or more logs, one after the other, as raw bodies with real byte progress. The server
 * answers as soon as the bytes are stored (decoding runs in a job), so "done" here means "queued".
 */
export function UploadPanel({
  aircraft,
  onUploaded,
}: {
  aircraft: readonly Aircraft[];
  /** A flight now exists (queued, duplicate, or kept as failed). */
  onUploaded: (flightId: string) => void;
}) {
  const [jobs, setJobs] = useState<UploadJob[]>([]);
  const [aircraftId, setAircraftId] = useState('');
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const active = useRef<{ key: number; handle: UploadHandle } | null>(null);
  const onUploadedRef = useRef(onUploaded);
  onUploadedRef.current = onUploaded;

  const patch = (key: number, next: Partial<UploadJob>) =>
    setJobs((all) => all.map((j) => (j.key === key ? { ...j, ...next } : j)));

  // Start the next waiting file whenever nothing is being sent.
  useEffect(() => {
    if (active.current) return;
    const job = jobs.find((j) => j.state === 'waiting');
    if (!job) return;
    const startedAt = performance.now();
    const handle = uploadFlight(job.file, {
      aircraftId: job.aircraftId || undefined,
      onProgress: (p) => {
        const secs = (performance.now() - startedAt) / 1000;
        patch(job.key, { loaded: p.loaded, rate: secs > 0 ? p.loaded / secs : 0 });
      },
    });
    active.current = { key: job.key, handle };
    patch(job.key, { state: 'sending', startedAt });
    handle.done
      .then(
        (res) => {
          patch(job.key, {
            state: 'done',
            loaded: job.file.size,
            flight: res.flight,
            duplicate: res.duplicate,
          });
          onUploadedRef.current(res.flight.id);
        },
        (err: unknown) => {
          if (err instanceof DOMException && err.name === 'AbortError')
            patch(job.key, { state: 'cancelled' });
          else {
            const flightId =
              err instanceof ApiError ? (err.problem as { flightId?: unknown } | null)?.flightId : undefined;
            patch(job.key, {
              state: 'failed',
              error: errorMessage(err),
              failedFlightId: typeof flightId === 'string' ? flightId : undefined,
            });
            if (typeof flightId === 'string') onUploadedRef.current(flightId);
          }
        },
      )
      .finally(() => {
        active.current = null;
        setJobs((all) => [...all]);
      });
  }, [jobs]);

  useEffect(() => () => active.current?.handle.abort(), []);

  const add = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const added: UploadJob[] = [...files].map((file) => ({
      key: nextKey++,
      file,
      aircraftId,
      state: 'waiting',
      loaded: 0,
      startedAt: 0,
      rate: 0,
    }));
    setJobs((all) => {
      // Keep every pending upload and the eight most recent outcomes.
      const finished = all.filter((j) => j.state !== 'waiting' && j.state !== 'sending');
      const keep = new Set(finished.slice(0, 8));
      return [...added, ...all.filter((j) => !finished.includes(j) || keep.has(j))];
    });
    if (input.current) input.current.value = '';
  };

  const cancel = (job: UploadJob) => {
    if (active.current?.key === job.key) active.current.handle.abort();
    else patch(job.key, { state: 'cancelled' });
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  return (
    <section className="card upload-card" aria-labelledby="upload-title">
      <div className="card-head">
        <div>
          <h2 id="upload-title">Upload flight logs</h2>
          <p className="muted small">
            PX4 ULog (.ulg), ArduPilot DataFlash (.bin), MAVLink telemetry (.tlog) or CSV. The format is
            recognised from the file’s content; decoding runs in the background.
          </p>
        </div>
      </div>
      <div className="upload-row">
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <Icon name="download" size={22} style={{ transform: 'rotate(180deg)' }} />
          <span>
            Drop files here or{' '}
            <button type="button" className="btn-link" onClick={() => input.current?.click()}>
              choose files
            </button>
          </span>
          <input
            ref={input}
            type="file"
            multiple
            className="sr-only"
            aria-label="Flight log files"
            data-testid="flight-file-input"
            onChange={(e) => add(e.target.files)}
          />
        </div>
        <div className="field upload-aircraft">
          <label htmlFor="upload-aircraft">Aircraft</label>
          <select id="upload-aircraft" value={aircraftId} onChange={(e) => setAircraftId(e.target.value)}>
            <option value="">Not assigned</option>
            {aircraft.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.serialNumber ? ` · ${a.serialNumber}` : ''}
              </option>
            ))}
          </select>
          <div className="field-hint">Applies to the files you add next.</div>
        </div>
      </div>
      {jobs.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads">
          {jobs.map((job) => (
            <UploadRow key={job.key} job={job} aircraft={aircraft} onCancel={() => cancel(job)} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function UploadRow({
  job,
  aircraft,
  onCancel,
}: {
  job: UploadJob;
  aircraft: readonly Aircraft[];
  onCancel: () => void;
}) {
  const pct =
    job.file.size > 0 ? Math.min(100, (job.loaded / job.file.size) * 100) : job.state === 'done' ? 100 : 0;
  const plane = aircraft.find((a) => a.id === job.aircraftId);
  return (
    <li className={`upload-item upload-${job.state}`} data-testid="upload-item" data-state={job.state}>
      <div className="upload-item-head">
        <strong className="truncate" title={job.file.name}>
          {job.file.name}
        </strong>
        <span className="muted small nowrap">
          {formatBytes(job.file.size)}
          {plane ? ` · ${plane.name}` : ''}
        </span>
        <span className="upload-item-state">
          {job.state === 'waiting' ? <Badge>Waiting</Badge> : null}
          {job.state === 'sending' ? (
            <span className="muted small nowrap">
              {formatBytes(job.loaded)} of {formatBytes(job.file.size)} · {formatBytes(job.rate)}/s
            </span>
          ) : null}
          {job.state === 'done' && job.flight ? (
            <>
              <Badge tone={job.duplicate ? 'info' : 'ok'}>
                {job.duplicate ? 'Already uploaded' : 'Uploaded'}
              </Badge>
              <Link to={`/flights/${job.flight.id}`} className="small">
                Open flight
              </Link>
            </>
          ) : null}
          {job.state === 'failed' ? <Badge tone="danger">Failed</Badge> : null}
          {job.state === 'cancelled' ? <Badge>Cancelled</Badge> : null}
          {job.state === 'waiting' || job.state === 'sending' ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
        </span>
      </div>
      {job.state === 'sending' || job.state === 'waiting' ? (
        <div
          className="progress"
          role="progressbar"
          aria-label={`Uploading ${job.file.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pct)}
        >
          <div className="progress-bar" style={{ width: `${pct}%` }} />
          <span className="progress-text">{Math.floor(pct)} %</span>
        </div>
      ) : null}
      {job.state === 'failed' ? (
        <div className="upload-error small">
          <Icon name="alert" size={14} /> {job.error}
          {job.failedFlightId ? (
            <>
              {' '}
              The file is kept for inspection:{' '}
              <Link to={`/flights/${job.failedFlightId}`}>see the failed flight</Link>.
            </>
          ) : null}
        </div>
      ) : null}
      {job.state === 'done' && job.duplicate ? (
        <div className="muted small">The same bytes were uploaded before; this is that flight.</div>
      ) : null}
    </li>
  );
}
