import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';
import { classifyDemand } from '../forecast/classify.js';
import { AppError } from '../../shared/app-error.js';
import { COUNTRIES } from './demo-catalog.js';
import { createDemoDataset, parseRafSeries, type DemoDataset } from './index.js';
import { RAF_FIT } from './raf-demand.fit.js';

const snapshot = (ds: DemoDataset, parts = 200): string =>
  JSON.stringify({
    bundles: [...ds.partBundles(1, parts)].map((b) => ({ ...b, monthlyDemand: [...b.monthlyDemand] })),
    suppliers: [...ds.suppliersRows()], events: [...ds.riskEvents()], aircraft: [...ds.aircraft()],
  });

function classMix(ds: DemoDataset): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const b of ds.partBundles()) {
    const c = classifyDemand(b.monthlyDemand).class;
    mix[c] = (mix[c] ?? 0) + 1;
  }
  return mix;
}

describe('demo data generator', () => {
  it('is a pure function of its options: same seed, same rows; another seed, other rows', () => {
    const a = snapshot(createDemoDataset({ parts: 300, suppliers: 40, seed: 7 }));
    const b = snapshot(createDemoDataset({ parts: 300, suppliers: 40, seed: 7 }));
    const c = snapshot(createDemoDataset({ parts: 300, suppliers: 40, seed: 8 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('part i does not depend on how many parts are generated, nor on the range asked for', () => {
    const small = [...createDemoDataset({ parts: 50, suppliers: 40, seed: 3 }).partBundles()];
    const big = createDemoDataset({ parts: 5000, suppliers: 40, seed: 3 });
    assert.deepEqual([...big.partBundles(20, 50)].map((b) => b.part), small.slice(19).map((b) => b.part));
  });

  it('keeps its invariants: no negative stock, dates in order, every reference resolves', () => {
    const ds = createDemoDataset({ parts: 2000, suppliers: 120, seed: 11, months: 24 });
    const locations = new Set([...ds.locations()].map((l) => l.code));
    const types = new Set([...ds.aircraftTypes()].map((t) => t.code));
    const suppliers = new Set([...ds.suppliersRows()].map((s) => s.code));
    const ports = new Set(COUNTRIES.flatMap((c) => c.ports.flatMap((p) => [p.code, ...(p.cyportName ? [p.cyportName.toUpperCase()] : [])])));
    const partNumbers = new Set<string>();
    const offers = new Set<string>();
    const references = new Set<string>();
    const periods = new Set(ds.periods);
    for (const b of ds.partBundles()) {
      const p = b.part;
      assert.ok(!partNumbers.has(p.partNumber), `duplicate part ${p.partNumber}`);
      partNumbers.add(p.partNumber);
      assert.ok(p.unitCost! >= 0.5 && p.aircraftTypes.length > 0 && p.aircraftTypes.every((t) => types.has(t)));
      assert.equal(p.aogCost === null, p.aogCostUnit === null);
      assert.ok(b.stock.length >= 1);
      for (const s of b.stock) {
        assert.ok(locations.has(s.locationCode));
        for (const q of [s.onHand, s.reserved, s.onOrder, s.safetyStock, s.reorderPoint!, s.minQty!, s.maxQty!]) assert.ok(Number.isInteger(q) && q >= 0, JSON.stringify(s));
        assert.ok(s.reserved <= s.onHand && s.minQty! <= s.maxQty! && s.safetyStock <= s.reorderPoint!, JSON.stringify(s));
      }
      assert.ok(b.offers.length >= 1 && b.offers.filter((o) => o.preferred).length === 1);
      for (const o of b.offers) {
        assert.ok(suppliers.has(o.supplierCode) && o.partNumber === p.partNumber && o.moq >= 1 && o.price >= 0);
        assert.ok(!offers.has(`${o.supplierCode}|${o.partNumber}`));
        offers.add(`${o.supplierCode}|${o.partNumber}`);
        assert.ok(o.leadTimeMeanDays! >= 3.5 && o.leadTimeSdDays! >= 0);
      }
      for (const d of b.demand) {
        assert.ok(periods.has(d.period) && locations.has(d.locationCode) && b.stock.some((s) => s.locationCode === d.locationCode));
        assert.ok(d.quantity >= 0 && d.returns >= 0 && d.returns <= Math.max(d.quantity, 0));
      }
      for (const d of b.deliveries) {
        assert.ok(offers.has(`${d.supplierCode}|${d.partNumber}`), 'delivery from a supplier that offers the part');
        assert.ok(!references.has(`${d.supplierCode}|${d.reference}`));
        references.add(`${d.supplierCode}|${d.reference}`);
        assert.ok(d.quantity > 0 && d.orderedDate! < d.promisedDate, JSON.stringify(d));
        if (d.actualDate !== null) assert.ok(d.actualDate > d.orderedDate! && d.actualDate <= ds.asOf, JSON.stringify(d));
      }
    }
    for (const a of ds.aircraft()) assert.ok(types.has(a.typeCode) && locations.has(a.baseLocationCode!));
    assert.equal(new Set([...ds.aircraft()].map((a) => a.registration)).size, [...ds.aircraft()].length);
    for (const s of ds.suppliersRows()) assert.ok(s.portsOfOrigin.length >= 1 && s.portsOfOrigin.every((p) => ports.has(p)));
    for (const e of ds.riskEvents()) {
      assert.ok(e.severity > 0 && e.severity <= 1 && e.supplierCodes.every((c) => suppliers.has(c)) && e.ports.every((p) => ports.has(p)));
      assert.ok(e.expectedEndAt! >= e.startsAt && (e.actualEndAt === null || e.actualEndAt >= e.startsAt));
    }
  });

  it('draws demand whose SBC class mix resembles RAF (about half intermittent, half lumpy)', () => {
    const mix = classMix(createDemoDataset({ parts: 3000, suppliers: 50, seed: 5, months: RAF_FIT.months }));
    const rafLumpy = RAF_FIT.rafClassMix.lumpy / RAF_FIT.items;
    const lumpy = (mix.lumpy ?? 0) / 3000;
    assert.ok(Math.abs(lumpy - rafLumpy) < 0.05, `lumpy share ${lumpy.toFixed(3)} vs RAF ${rafLumpy.toFixed(3)}`);
    assert.ok((mix.smooth ?? 0) + (mix.erratic ?? 0) < 3000 * 0.03, JSON.stringify(mix));
  });

  const raf = sharedFile('mrodata/raf_spares_monthly_demand.csv');
  it('resamples the real RAF series when given them, keeping their class mix', { skip: raf ? false : missingSharedNotice('mrodata/raf_spares_monthly_demand.csv') }, () => {
    const series = parseRafSeries(readFileSync(raf!, 'utf8'));
    assert.equal(series.length, 5000);
    const ds = createDemoDataset({ parts: 3000, suppliers: 50, seed: 5, months: 84, raf: series });
    assert.equal(ds.demandSource, 'resampled');
    const mix = classMix(ds);
    assert.ok(Math.abs((mix.lumpy ?? 0) / 3000 - 2403 / 5000) < 0.04, JSON.stringify(mix));
    const first = [...ds.partBundles(1, 1)][0]!;
    assert.match(first.part.externalRef!, /^demo-raf:\d+$/);
  });

  it('refuses out-of-range options with a VALIDATION_FAILED naming the field', () => {
    for (const [bad, field] of [
      [{ parts: 0, suppliers: 1 }, 'parts'], [{ parts: 500_001, suppliers: 1 }, 'parts'], [{ parts: 1, suppliers: 15_001 }, 'suppliers'],
      [{ parts: 1.5, suppliers: 1 }, 'parts'], [{ parts: 1, suppliers: 1, seed: -1 }, 'seed'], [{ parts: 1, suppliers: 1, months: 0 }, 'months'],
      [{ parts: 1, suppliers: 1, asOf: '2026-13-45' }, 'asOf'], [{ parts: 1, suppliers: 1, asOf: "'; DROP TABLE parts" }, 'asOf'],
    ] as const) {
      assert.throws(() => createDemoDataset(bad), (e: unknown) => e instanceof AppError && e.code === 'VALIDATION_FAILED' && e.details?.field === field);
    }
  });

  it('refuses a RAF file without its attribute columns', () => {
    assert.throws(() => parseRafSeries('item_id,1996-01,1996-02\n1,0,3\n'), (e: unknown) => e instanceof AppError && e.code === 'RAF_CSV_MISSING_COLUMN');
    assert.throws(() => parseRafSeries('item_id,description,lead_time_months,unit_price_gbp,1996-01\n1,X,soon,1,0\n'), (e: unknown) => e instanceof AppError && e.code === 'RAF_CSV_BAD_VALUE');
  });
});
