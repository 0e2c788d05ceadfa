import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { badRequest, notFound } from '../shared/app-error.js';
import { requireTenant, type Tenant } from '../platform/accounts/tenant-admin.js';
import { recordPrediction } from '../platform/audit/prediction-recorder.js';
import { withTenant } from '../platform/db/with-tenant.js';
import { runRiskScoring, type RunResult } from '../platform/supply-risk/risk-scoring.service.js';
import { findPart, listRanked, summaryFigures } from '../platform/supply-risk/risk-query.repository.js';
import { partDetail, type PartDetail } from '../platform/supply-risk/risk-detail.service.js';
import { openRuntime, type Runtime } from './runtime.js';

const usd = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `$${Math.round(x).toLocaleString('en-US')}`);
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);
const TOP = 10;

async function tenantsToScore(rt: Runtime, slug: string | undefined): Promise<Tenant[]> {
  if (slug !== undefined) return [await requireTenant(rt.ownerPool, slug)];
  const { rows } = await rt.ownerPool.query<Tenant>(
    'SELECT id, slug, name FROM tenants WHERE id IN (SELECT skyguard_private.supply_tenants()) ORDER BY slug',
  );
  return rows;
}

const runView = (r: RunResult) => ({
  runId: r.runId, items: r.items, scored: r.scored, refused: r.refused, changed: r.changed,
  alertsRaised: r.alertsRaised, alertsCleared: r.alertsCleared, durationMs: Math.round(r.durationMs),
  errors: r.errors.slice(0, 20).map((e) => ({ code: e.code, field: e.field, rule: e.rule })),
});

function partText(d: PartDetail): string {
  const out = [`${d.part.part_number} — ${d.part.description} (${d.part.criticality}${d.part.category ? `, ${d.part.category}` : ''})`];
  for (const l of d.locations) {
    out.push('', `at ${l.locationCode}: on hand ${l.stock.onHand}, reserved ${l.stock.reserved}, on order ${l.stock.onOrder}, reorder point ${l.stock.reorderPoint ?? 'not set'}`);
    if (l.live.status === 'refused') {
      out.push(`  refused: ${l.live.code} ${l.live.field}: ${l.live.rule}`);
      continue;
    }
    const v = l.live;
    out.push(
      `  score ${v.risk.score.toFixed(1)} (${v.risk.level}); P(stockout) ${pct(v.risk.stockoutProbability)}; expected exposure ${usd(v.risk.expectedExposure)}; AOG days ${v.risk.expectedAogDays.toFixed(2)}`,
      `  ${v.explanation.summary}`,
      ...v.explanation.contributions.map((c) => `    ${c.factor.padEnd(21)} ${c.points >= 0 ? '+' : ''}${c.points.toFixed(2)}   (neutral: ${c.neutral})`),
      ...v.explanation.events.map((e) => `    event ${e.name} (${e.type}, ${e.status}): impact ${pct(e.impactProbability)}, mean delay ${e.meanDelayDays.toFixed(1)} d`),
      `  lead time ${v.leadTime.meanDays.toFixed(1)} d mean (p10 ${v.leadTime.p10.toFixed(0)}, p90 ${v.leadTime.p90.toFixed(0)}); demand ${v.forecast.meanPerPeriod.toFixed(2)}/month (${v.forecast.method}, ${v.forecast.classification.class})`,
      `  policy (${v.policy.basis} ${pct(v.policy.target)}): reorder point ${v.policy.current.reorderPoint} → ${v.policy.recommended.reorderPoint}, safety stock ${v.policy.current.safetyStock.toFixed(1)} → ${v.policy.recommended.safetyStock.toFixed(1)}, CSL ${pct(v.policy.current.cycleServiceLevel)} → ${pct(v.policy.recommended.cycleServiceLevel)}, exposure change ${usd(v.policy.expectedExposureChange)}`,
    );
  }
  if (d.openAlerts.length > 0) out.push('', `open alerts: ${d.openAlerts.map((a) => `${a.level} at ${a.location_code} since ${a.raised_at.toISOString()}`).join('; ')}`);
  return out.join('\n');
}

/**
 * `skyguard supply score`: one scoring run against the database (stored, alerts raised, audited like
 * the nightly job), then a summary per tenant — or, with --part, that part's scoring run and its
 * explanation and policy advice at each location.
 */
export function registerSupplyScoreCommand(supply: Command, getConfig: () => Config): void {
  supply
    .command('score')
    .description('Score supply risk now (stored, with alerts) and print a summary, or one part\'s explanation with --part')
    .option('--part <pn>', 'one part (part number or id): score it and explain it')
    .option('--tenant <slug>', 'tenant (default: every tenant with supply data; required with --part when there are several)')
    .option('--json', 'print JSON')
    .action(async (opts: { part?: string; tenant?: string; json?: boolean }) => {
      if (opts.part !== undefined && (opts.part.length === 0 || opts.part.length > 64))
        throw badRequest('VALIDATION_FAILED', '--part must be a part number or id of 1 to 64 characters', { field: 'part', rule: 'length' });
      const rt = await openRuntime(getConfig(), () => undefined);
      try {
        const tenants = await tenantsToScore(rt, opts.tenant);
        const deps = { pool: rt.appPool, recordPrediction, now: () => new Date() };
        if (opts.part !== undefined) {
          if (tenants.length !== 1)
            throw badRequest('VALIDATION_FAILED', tenants.length === 0 ? 'no tenant has supply data' : '--tenant is required with --part when several tenants have supply data', { field: 'tenant', rule: 'required' });
          const t = tenants[0]!;
          const part = await withTenant(rt.appPool, { tenantId: t.id }, (db) => findPart(db, opts.part!));
          if (!part) throw notFound(`Part ${opts.part} in tenant ${t.slug}`);
          const run = await runRiskScoring(deps, t.id, { kind: 'part', partId: part.id }, { kind: 'part', ref: 'cli' });
          const d = await withTenant(rt.appPool, { tenantId: t.id }, (db) => partDetail(db, part, new Date()));
          console.log(opts.json ? JSON.stringify({ tenant: t.slug, run: runView(run), ...d }, null, 2) : partText(d));
          return;
        }
        const out = [];
        for (const t of tenants) {
          const run = await runRiskScoring(deps, t.id, { kind: 'all' }, { kind: 'full', ref: 'cli' });
          const { total, refused, top } = await withTenant(rt.appPool, { tenantId: t.id }, async (db) => ({
            ...(await summaryFigures(db)),
            top: await listRanked(db, { status: 'scored', limit: TOP }),
          }));
          out.push({ tenant: t.slug, run: runView(run), total: { ...total, refused }, top: top.map((r) => ({ partNumber: r.part_number, location: r.location_code, score: r.score, level: r.level, stockoutProbability: r.stockout_probability, expectedExposure: r.expected_exposure })) });
        }
        if (opts.json) console.log(JSON.stringify({ tenants: out }, null, 2));
        else if (out.length === 0) console.log('no tenant has supply data');
        else
          for (const o of out) {
            console.log(`${o.tenant}: ${o.run.items} items scored in ${o.run.durationMs} ms (${o.run.refused} refused, ${o.run.changed} changed, ${o.run.alertsRaised} alerts raised, ${o.run.alertsCleared} cleared)`);
            console.log(`  levels: ${Object.entries(o.total.byLevel).map(([k, v]) => `${k} ${v}`).join(', ')}`);
            console.log(`  expected exposure ${usd(o.total.expectedExposure)} (sum of expectations); concurrent upper bound ${usd(o.total.concurrentUpperBound)} (every item short at once, fleet-capped — not a forecast)`);
            for (const e of o.run.errors) console.log(`  refused: ${e.code} ${e.field}: ${e.rule}`);
            console.log('  highest risk:');
            for (const r of o.top) console.log(`    ${(r.score ?? 0).toFixed(1).padStart(5)} ${String(r.level).padEnd(8)} ${r.partNumber} @ ${r.location}  P ${pct(r.stockoutProbability)}  ${usd(r.expectedExposure)}`);
          }
      } finally {
        await rt.close();
      }
    });
}
