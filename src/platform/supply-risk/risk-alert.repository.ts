import type { Queryable } from '../db/pool.js';
import { notFound } from '../../shared/app-error.js';

/** Topic of the outbox rows alerts are emitted on (the relay publishes them, e.g. to NATS). */
export const RISK_ALERT_TOPIC = 'supply.risk_alert';

export interface NewAlert {
  readonly partId: string;
  readonly locationId: string;
  readonly level: string;
  readonly previousLevel: string;
  readonly dedupeKey: string;
  readonly score: number;
  readonly stockoutProbability: number;
  readonly expectedExposure: number;
  readonly reason: string;
}

export interface AlertRow {
  id: string;
  part_id: string;
  part_number: string;
  location_id: string;
  location_code: string;
  level: string;
  previous_level: string;
  dedupe_key: string;
  status: string;
  score: number;
  stockout_probability: number;
  expected_exposure: number;
  reason: string;
  trigger: string;
  trigger_ref: string | null;
  run_id: string;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  note: string | null;
}

/**
 * Raises alerts, at most one unresolved per dedupe key: the partial unique index makes a concurrent
 * second insert a no-op (ON CONFLICT DO NOTHING). Alerts of a lower level still open for the same
 * item are resolved as `escalated`. Each raised alert is written to the outbox in the same
 * transaction, so it is emitted if and only if it was stored. Returns the alerts actually raised.
 */
export async function raiseAlerts(
  db: Queryable,
  tenantId: string,
  runId: string,
  trigger: { kind: string; ref: string | null },
  at: Date,
  alerts: readonly NewAlert[],
): Promise<{ id: string; dedupe_key: string }[]> {
  if (alerts.length === 0) return [];
  const col = <K extends keyof NewAlert>(k: K): NewAlert[K][] => alerts.map((a) => a[k]);
  const { rows } = await db.query<{ id: string; dedupe_key: string; part_id: string; location_id: string; level: string }>(
    `INSERT INTO risk_alerts (tenant_id, part_id, location_id, level, previous_level, dedupe_key, score, stockout_probability,
       expected_exposure, reason, trigger, trigger_ref, run_id, raised_at)
     SELECT $1, x.* , $11, $12, $13, $14 FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::text[])
       AS x(part_id, location_id, level, previous_level, dedupe_key, score, p, expected, reason)
     ON CONFLICT (tenant_id, dedupe_key) WHERE status <> 'resolved' DO NOTHING
     RETURNING id, dedupe_key, part_id, location_id, level`,
    [tenantId, col('partId'), col('locationId'), col('level'), col('previousLevel'), col('dedupeKey'), col('score'),
      col('stockoutProbability'), col('expectedExposure'), col('reason'), trigger.kind, trigger.ref, runId, at],
  );
  if (rows.length === 0) return [];
  await db.query(
    `UPDATE risk_alerts a SET status = 'resolved', resolved_at = $2, resolved_by = 'system', resolution = 'escalated'
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[]) AS x(part_id, location_id, new_id)
      WHERE a.tenant_id = $1 AND a.part_id = x.part_id AND a.location_id = x.location_id AND a.id <> x.new_id AND a.status <> 'resolved'`,
    [tenantId, at, rows.map((r) => r.part_id), rows.map((r) => r.location_id), rows.map((r) => r.id)],
  );
  const byKey = new Map(alerts.map((a) => [a.dedupeKey, a]));
  await db.query(
    `INSERT INTO domain_event_outbox (tenant_id, topic, payload) SELECT $1, $2, x FROM unnest($3::jsonb[]) AS x`,
    [tenantId, RISK_ALERT_TOPIC, rows.map((r) => {
      const a = byKey.get(r.dedupe_key)!;
      return JSON.stringify({ topic: RISK_ALERT_TOPIC, alertId: r.id, partId: a.partId, locationId: a.locationId, level: a.level,
        previousLevel: a.previousLevel, score: a.score, stockoutProbability: a.stockoutProbability, expectedExposure: a.expectedExposure,
        reason: a.reason, trigger: trigger.kind, triggerRef: trigger.ref, raisedAt: at.toISOString() });
    })],
  );
  return rows;
}

/** Resolves the open alerts of items whose level fell back below the alert floor. */
export async function clearAlerts(db: Queryable, tenantId: string, at: Date, items: readonly { partId: string; locationId: string }[]): Promise<number> {
  if (items.length === 0) return 0;
  const r = await db.query(
    `UPDATE risk_alerts a SET status = 'resolved', resolved_at = $2, resolved_by = 'system', resolution = 'cleared'
       FROM unnest($3::uuid[], $4::uuid[]) AS x(part_id, location_id)
      WHERE a.tenant_id = $1 AND a.part_id = x.part_id AND a.location_id = x.location_id AND a.status <> 'resolved'`,
    [tenantId, at, items.map((i) => i.partId), items.map((i) => i.locationId)],
  );
  return r.rowCount ?? 0;
}

const SELECT_ALERT = `SELECT a.id, a.part_id, p.part_number, a.location_id, l.code AS location_code, a.level, a.previous_level, a.dedupe_key,
  a.status, a.score, a.stockout_probability, a.expected_exposure, a.reason, a.trigger, a.trigger_ref, a.run_id, a.raised_at,
  a.acknowledged_at, a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.note
  FROM risk_alerts a JOIN parts p ON p.id = a.part_id JOIN locations l ON l.id = a.location_id`;

/** Alerts newest first; `status` may also be `unresolved` (open or acknowledged). */
export async function listAlerts(
  db: Queryable,
  q: { status?: string; level?: string; partId?: string; limit: number; cursor?: { v: string; id: string } },
): Promise<AlertRow[]> {
  const params: unknown[] = [q.status ?? null, q.level ?? null, q.partId ?? null, q.limit];
  let keyset = '';
  if (q.cursor) {
    params.push(q.cursor.v, q.cursor.id);
    keyset = 'AND (a.raised_at, a.id) < ($5::timestamptz, $6::uuid)';
  }
  const { rows } = await db.query<AlertRow>(
    `${SELECT_ALERT}
      WHERE ($1::text IS NULL OR a.status = $1 OR ($1 = 'unresolved' AND a.status <> 'resolved')) AND ($2::text IS NULL OR a.level = $2) AND ($3::uuid IS NULL OR a.part_id = $3) ${keyset}
      ORDER BY a.raised_at DESC, a.id DESC LIMIT $4`,
    params,
  );
  return rows;
}

export async function getAlert(db: Queryable, id: string): Promise<AlertRow> {
  const { rows } = await db.query<AlertRow>(`${SELECT_ALERT} WHERE a.id = $1`, [id]);
  if (!rows[0]) throw notFound('Alert');
  return rows[0];
}

/** Acknowledge (open → acknowledged) or resolve (any unresolved → resolved); repeats are no-ops. */
export async function updateAlertStatus(
  db: Queryable,
  id: string,
  action: 'acknowledge' | 'resolve',
  actor: string,
  at: Date,
  note: string | undefined,
): Promise<{ alert: AlertRow; changed: boolean }> {
  const before = await getAlert(db, id);
  const sql =
    action === 'acknowledge'
      ? `UPDATE risk_alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, note = coalesce($4, note) WHERE id = $1 AND status = 'open'`
      : `UPDATE risk_alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3, resolution = 'manual', note = coalesce($4, note) WHERE id = $1 AND status <> 'resolved'`;
  const r = await db.query(sql, [id, at, actor, note ?? null]);
  const changed = (r.rowCount ?? 0) > 0;
  return { alert: changed ? await getAlert(db, id) : before, changed };
}
