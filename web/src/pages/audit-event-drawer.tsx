import type { ReactNode } from 'react';
import type { AuditEvent } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { Dialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { Badge } from '../components/ui';
import { formatDateTime, formatLatency, timeZone } from '../lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}

/**
 * What the loaded list can say about the chain link: the server chains each tenant's events by
 * seq, so when the previous seq is loaded its hash must equal this event's prevHash.
 */
function chainCheck(ev: AuditEvent, previous: AuditEvent | undefined): ReactNode {
  if (!previous || Number(previous.seq) !== Number(ev.seq) - 1) {
    return (
      <span className="muted small">
        The previous event (seq {Number(ev.seq) - 1}) is not loaded in this view.
      </span>
    );
  }
  return previous.hash === ev.prevHash ? (
    <span className="text-ok small">
      <Icon name="check" size={14} /> Matches the hash of event seq {String(previous.seq)}.
    </span>
  ) : (
    <span className="text-danger small">
      <Icon name="alert" size={14} /> Does not match the hash of event seq {String(previous.seq)}. Run a chain
      verification.
    </span>
  );
}

export function AuditEventDrawer({
  event,
  previous,
  onClose,
  notLoaded,
}: {
  event: AuditEvent | null;
  previous: AuditEvent | undefined;
  onClose: () => void;
  notLoaded: boolean;
}) {
  return (
    <Dialog
      open={event !== null || notLoaded}
      title={event ? event.action : 'Audit event'}
      onClose={onClose}
      variant="drawer"
      testId="audit-event-drawer"
    >
      {event ? (
        <div className="drawer-content">
          <dl className="kv">
            <Row label="When">
              {formatDateTime(event.occurredAt)} <span className="muted small">({timeZone})</span>
            </Row>
            <Row label="Sequence">{String(event.seq)}</Row>
            <Row label="Action">
              <code>{event.action}</code>
            </Row>
            <Row label="Target">{event.target ? <code>{event.target}</code> : null}</Row>
            <Row label="Actor">
              {event.actorLabel ?? event.actorId ?? null} <Badge>{event.actorType.replace('_', ' ')}</Badge>
            </Row>
            <Row label="Status">{event.status !== null ? String(event.status) : null}</Row>
          </dl>
          <h3>Hash chain</h3>
          <div className="hash-block">
            <div className="hash-label">
              prevHash <CopyButton text={event.prevHash} label="Copy" />
            </div>
            <code className="hash" data-testid="audit-prev-hash">
              {event.prevHash}
            </code>
            <div className="hash-label">
              hash <CopyButton text={event.hash} label="Copy" />
            </div>
            <code className="hash" data-testid="audit-hash">
              {event.hash}
            </code>
            <p>{chainCheck(event, previous)}</p>
          </div>
          <h3>Details</h3>
          <pre className="json">{JSON.stringify(event.details ?? {}, null, 2)}</pre>
          <h3>Request context</h3>
          <dl className="kv">
            <Row label="Actor ID">{event.actorId ? <code>{event.actorId}</code> : null}</Row>
            <Row label="Auth method">{event.authMethod}</Row>
            <Row label="Request">
              {event.method || event.route ? (
                <code>{`${event.method ?? ''} ${event.route ?? ''}`.trim()}</code>
              ) : null}
            </Row>
            <Row label="Latency">{event.latencyMs !== null ? formatLatency(event.latencyMs) : null}</Row>
            <Row label="IP">{event.ip}</Row>
            <Row label="User agent">
              {event.userAgent ? <span className="break">{event.userAgent}</span> : null}
            </Row>
            <Row label="Request ID">
              <code>{event.requestId}</code>
            </Row>
            <Row label="Trace ID">{event.traceId ? <code>{event.traceId}</code> : null}</Row>
          </dl>
        </div>
      ) : (
        <p className="muted">
          This event is not among the loaded results. Adjust the filters or scroll to load it.
        </p>
      )}
    </Dialog>
  );
}
