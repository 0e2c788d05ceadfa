import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../deps.js';
import { withTenant } from '../../../platform/db/with-tenant.js';
import {
  findPart, groupLabels, latestRuns, listRanked, summaryFigures, SUMMARY_DIMENSIONS, type GroupFigures,
} from '../../../platform/supply-risk/risk-query.repository.js';
import { partDetail } from '../../../platform/supply-risk/risk-detail.service.js';
import { enqueueFullRescore } from '../../../platform/supply-risk/risk-rescore.subscriber.js';
import { SUPPLY_RISK_ENGINE_VERSION } from '../../../supply/portfolio/portfolio-input.js';
import { PORTFOLIO_ASSUMPTIONS } from '../../../supply/portfolio/portfolio-summary.js';
import { RISK_LEVELS, type RiskLevel } from '../../../supply/risk/risk-score.js';
import { notFound } from '../../../shared/app-error.js';
import { auditMutation } from '../../plugins/audit-hook.js';
import { badCursor, decodeCursor, encodeCursor, PageQuery } from '../../pagination.js';
import { Uuid } from '../schemas.js';
import { riskItemView, RiskItemView, SummaryView, alertView } from './risk.schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LEVEL_LIST = `^(${RISK_LEVELS.join('|')})(,(${RISK_LEVELS.join('|')}))*$`;
const Criticality = Type.Union([Type.Literal('no_go'), Type.Literal('go_if'), Type.Literal('go'), Type.Literal('non_essential')]);
/** Runs shown in the summary's exposure trend (full re-scores only: incremental runs cover a few items). */
const TREND_RUNS = 30;

/** Portfolio risk: summary, ranked list, one part's explanation and policy advice, manual re-score. */
export const riskRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/supply/risk/summary', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['supply'],
      summary: 'Portfolio exposure: totals, breakdowns by level, criticality, category, supplier region/country, supplier and location, the full-run trend, and the aggregation assumptions',
      querystring: Type.Object({ groups: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })) }, { additionalProperties: false }),
      response: { 200: SummaryView },
    },
  }, async (request) => {
    const limit = request.query.groups ?? 20;
    return withTenant(deps.pool, request.principal!, async (db) => {
      const fig = await summaryFigures(db);
      const top = Object.fromEntries(SUMMARY_DIMENSIONS.map((d) => [d, fig.groups[d].slice(0, limit)])) as Record<(typeof SUMMARY_DIMENSIONS)[number], GroupFigures[]>;
      const labels = await groupLabels(db, top.supplier.flatMap((g) => (g.key ? [g.key] : [])), top.location.flatMap((g) => (g.key ? [g.key] : [])));
      const runs = await latestRuns(db, null, 1);
      const full = await latestRuns(db, 'full', TREND_RUNS);
      const breakdown = (d: (typeof SUMMARY_DIMENSIONS)[number]) => ({
        groups: top[d].map((g) => {
          const l = g.key ? labels.get(g.key) : undefined;
          const named = d === 'supplier' || d === 'location';
          return { ...g, label: named ? (l ? `${l.code} ${l.name}` : g.key) : g.key, ...(named ? { country: l?.country ?? null } : {}) };
        }),
        totalGroups: fig.groups[d].length,
        truncated: fig.groups[d].length > limit,
      });
      const last = runs[0];
      const lastFull = full[0];
      return {
        engineVersion: SUPPLY_RISK_ENGINE_VERSION,
        lastRun: last ? { id: last.id, kind: last.kind, startedAt: last.started_at.toISOString(), finishedAt: last.finished_at?.toISOString() ?? null, items: last.items } : null,
        lastFullRun: lastFull ? { id: lastFull.id, startedAt: lastFull.started_at.toISOString(), items: lastFull.items, scored: lastFull.scored, refused: lastFull.refused, durationMs: lastFull.duration_ms } : null,
        total: { ...fig.total, refused: fig.refused },
        breakdowns: Object.fromEntries(SUMMARY_DIMENSIONS.map((d) => [d, breakdown(d)])) as Record<(typeof SUMMARY_DIMENSIONS)[number], ReturnType<typeof breakdown>>,
        trend: full.reverse().map((r) => ({
          runId: r.id, at: r.started_at.toISOString(), items: r.items,
          expectedExposure: r.summary.total?.expectedExposure ?? null, concurrentUpperBound: r.summary.total?.concurrentUpperBound ?? null,
          byLevel: (r.summary.total?.byLevel as Record<RiskLevel, number> | undefined) ?? null,
        })),
        currency: 'USD' as const,
        assumptions: [
          ...PORTFOLIO_ASSUMPTIONS,
          'Breakdowns use the last stored score of every part × location (full and incremental runs); a fleet’s cap is the largest one stored for it.',
          'Region and country are those of the supplier an item is replenished from; items without a supplier are grouped under null.',
        ],
      };
    });
  });

  app.get('/supply/risk/items', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['supply'],
      summary: 'Ranked risk list (highest score first; keyset pages). status=refused lists the items the engine refused, with the field and rule',
      querystring: Type.Object({
        ...PageQuery,
        status: Type.Optional(Type.Union([Type.Literal('scored'), Type.Literal('refused')])),
        level: Type.Optional(Type.String({ pattern: LEVEL_LIST, maxLength: 60 })),
        category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        criticality: Type.Optional(Criticality),
        locationId: Type.Optional(Uuid),
        supplierId: Type.Optional(Uuid),
        partId: Type.Optional(Uuid),
        country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
        minProbability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        minExposure: Type.Optional(Type.Number({ minimum: 0 })),
        eventAffected: Type.Optional(Type.Boolean()),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(RiskItemView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const { limit = 50, cursor: raw, level, status = 'scored', ...rest } = request.query;
    const c = decodeCursor(raw);
    let after: { score: number | null; partId: string; locationId: string } | undefined;
    if (c) {
      const [partId, locationId] = c.id.split('/');
      const score = status === 'scored' ? Number(c.v) : null;
      if (!partId || !locationId || !UUID.test(partId) || !UUID.test(locationId) || (status === 'scored' && (c.v === '' || !Number.isFinite(score))))
        throw badCursor();
      after = { score, partId, locationId };
    }
    const rows = await withTenant(deps.pool, request.principal!, (db) =>
      listRanked(db, { ...rest, status, limit: limit + 1, ...(level ? { levels: level.split(',') as RiskLevel[] } : {}), ...(rest.q ? { search: rest.q } : {}), ...(after ? { after } : {}) }));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(riskItemView),
      nextCursor: rows.length > limit && last ? encodeCursor({ v: last.score === null ? '' : String(last.score), id: `${last.part_id}/${last.location_id}` }) : null,
    };
  });

  app.get('/supply/risk/parts/:part', {
    config: { access: 'supply:read' },
    schema: {
      tags: ['supply'],
      summary: 'One part’s risk at each location: recomputed now with its factor attribution (Shapley), the events involved, policy advice (reorder point / safety stock for the criticality target next to today’s, change in exposure), forecast with intervals, lead-time distribution, stock projection, the stored score and its history, open alerts. `part` is the id or the part number',
      params: Type.Object({ part: Type.String({ minLength: 1, maxLength: 64 }) }),
      querystring: Type.Object({ locationId: Type.Optional(Uuid) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const now = deps.now();
    const d = await withTenant(deps.pool, request.principal!, async (db) => {
      const part = await findPart(db, request.params.part);
      if (!part) throw notFound('Part');
      return partDetail(db, part, now, request.query.locationId);
    });
    if (request.query.locationId && d.locations.length === 0) throw notFound('Stock of this part at that location');
    return {
      part: { id: d.part.id, partNumber: d.part.part_number, description: d.part.description, category: d.part.category, criticality: d.part.criticality },
      engineVersion: d.engineVersion,
      computedAt: d.computedAt.toISOString(),
      locations: d.locations.map((l) => ({
        ...l,
        stored: l.stored ? riskItemView(l.stored) : null,
        history: l.history.map((h) => ({ scoredAt: h.scored_at.toISOString(), score: h.score, level: h.level, stockoutProbability: h.stockout_probability, expectedExposure: h.expected_exposure, engineVersion: h.engine_version })),
      })),
      openAlerts: d.openAlerts.map(alertView),
      rejectedEvents: d.rejectedEvents,
    };
  });

  app.post('/supply/risk/rescore', {
    config: { access: 'supply:write' },
    schema: {
      tags: ['supply'],
      summary: 'Queue a full re-score of the tenant’s portfolio (requests while one is pending coalesce into it)',
      response: { 202: Type.Object({ queued: Type.Boolean(), task: Type.String(), jobKey: Type.String() }) },
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const now = deps.now();
    const jobKey = await withTenant(deps.pool, p, async (db) => {
      await auditMutation(db, request, p.tenantId, 'supply_risk.rescore_requested', { details: { task: 'supply_risk_full' } }, now);
      // Queued inside the audit transaction: if queuing fails, no audit event claims it was requested.
      return enqueueFullRescore(deps.jobs, p.tenantId);
    });
    return reply.code(202).send({ queued: true, task: 'supply_risk_full', jobKey });
  });
};
