import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import { actorLabelOf } from '../../../platform/authn/principal.js';
import { getAlert, listAlerts, updateAlertStatus } from '../../../platform/supply-risk/risk-alert.repository.js';
import { badRequest, conflict } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { badCursor, decodeCursor, page, PageQuery } from '../../pagination.js';
import { IdParams, Uuid } from '../schemas.js';
import { AlertView, alertView } from './risk.schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NOTE = 2000;

/**
 * The optional body `{ "note": "…" }` of acknowledge/resolve. Checked by hand rather than by a body
 * schema so that a bare POST without a body is accepted too (nothing else to say).
 */
function noteOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('VALIDATION_FAILED', 'body must be a JSON object', { field: 'body', rule: 'type' });
  const extra = Object.keys(body).find((k) => k !== 'note');
  if (extra !== undefined) throw badRequest('VALIDATION_FAILED', `body must not have property ${extra}`, { field: extra, rule: 'additionalProperties' });
  const note = (body as { note?: unknown }).note;
  if (note === undefined) return undefined;
  if (typeof note !== 'string' || note.length > MAX_NOTE)
    throw badRequest('VALIDATION_FAILED', `note must be a string of at most ${MAX_NOTE} characters`, { field: 'note', rule: 'maxLength' });
  return note;
}

/** Supply risk alerts: the inbox (newest first), acknowledge and resolve — each change audited in its transaction. */
export const alertRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/supply/alerts', {
    config: { access: 'alerts:read' },
    schema: {
      tags: ['supply'],
      summary: 'Risk alerts, newest first (keyset pages); status `unresolved` = open or acknowledged',
      querystring: Type.Object({
        ...PageQuery,
        status: Type.Optional(Type.Union(['open', 'acknowledged', 'resolved', 'unresolved'].map((s) => Type.Literal(s)))),
        level: Type.Optional(Type.Union(['moderate', 'high', 'critical'].map((s) => Type.Literal(s)))),
        partId: Type.Optional(Uuid),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AlertView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const { limit = 50, cursor: raw, status, level, partId } = request.query;
    const cursor = decodeCursor(raw);
    if (cursor && (!UUID.test(cursor.id) || Number.isNaN(Date.parse(cursor.v)))) throw badCursor();
    const rows = await withTenant(deps.pool, request.principal!, (db) =>
      listAlerts(db, { limit: limit + 1, ...(status ? { status } : {}), ...(level ? { level } : {}), ...(partId ? { partId } : {}), ...(cursor ? { cursor } : {}) }));
    const result = page(rows, limit, (a) => ({ v: a.raised_at.toISOString(), id: a.id }));
    return { items: result.items.map(alertView), nextCursor: result.nextCursor };
  });

  app.get('/supply/alerts/:id', {
    config: { access: 'alerts:read' },
    schema: { tags: ['supply'], summary: 'One risk alert', params: IdParams, response: { 200: AlertView } },
  }, async (request) => alertView(await withTenant(deps.pool, request.principal!, (db) => getAlert(db, request.params.id))));

  const change = (action: 'acknowledge' | 'resolve') => async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const p = request.principal!;
    const note = noteOf(request.body);
    const now = deps.now();
    const r = await withTenant(deps.pool, p, async (db) => {
      const out = await updateAlertStatus(db, request.params.id, action, actorLabelOf(p), now, note);
      if (!out.changed && action === 'acknowledge' && out.alert.status === 'resolved')
        throw conflict('ALERT_RESOLVED', 'This alert is already resolved and cannot be acknowledged');
      if (out.changed)
        await auditMutation(db, request, p.tenantId, `supply_alert.${action === 'acknowledge' ? 'acknowledged' : 'resolved'}`, {
          target: out.alert.id, details: { dedupeKey: out.alert.dedupe_key, level: out.alert.level, ...(note !== undefined ? { note } : {}) },
        }, now);
      return out;
    });
    return { ...alertView(r.alert), changed: r.changed };
  };
  const Changed = Type.Object({ ...AlertView.properties, changed: Type.Boolean() });

  app.post('/supply/alerts/:id/acknowledge', {
    config: { access: 'alerts:write' },
    schema: { tags: ['supply'], summary: 'Acknowledge an open alert (repeats are no-ops: changed=false; 409 when resolved). Optional body {note}', params: IdParams, response: { 200: Changed } },
  }, change('acknowledge'));

  app.post('/supply/alerts/:id/resolve', {
    config: { access: 'alerts:write' },
    schema: { tags: ['supply'], summary: 'Resolve an alert (repeats are no-ops: changed=false). Optional body {note}', params: IdParams, response: { 200: Changed } },
  }, change('resolve'));
};
