import { AIRCRAFT_TYPES, LOCATIONS, PART_FAMILIES } from './demo-catalog.js';
import { drawFittedProfile, drawFittedSeries, profileOfRafSeries, resampleSeries, type RafSeries } from './demand-profile.model.js';
import { DemoRandom } from './demo-random.js';
import { isoDay, supplierCode, supplierTraits, type SupplierTraits } from './demo-network.generator.js';
import type { DeliveryRow, DemandRow, DemoPartBundle, OfferRow, PartRow, StockRow } from './demo-rows.js';

/**
 * RAF prices are 1996–2002 GBP. ×1.5 for GBP→USD and ×1.8 for aerospace price inflation to today
 * gives ≈ 2.7; a floor of $0.50 replaces RAF's zero and sub-penny prices.
 */
export const GBP_1999_TO_USD_TODAY = 2.7;
const MIN_UNIT_COST_USD = 0.5;
/** Service-level factor for the generated safety stock (≈ 95 % cycle service). */
const Z_95 = 1.645;

export interface PartContext {
  readonly seed: number;
  readonly suppliers: number;
  /** Periods of history, oldest first (first day of the month, `YYYY-MM-01`), and their day numbers. */
  readonly periods: readonly string[];
  readonly periodStartDays: readonly number[];
  readonly asOfDay: number;
  readonly raf: readonly RafSeries[] | undefined;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * A supplier index skewed towards low numbers (u² concentrates mass near 0): a few large suppliers
 * carry many parts, as in a real supply base.
 */
function pickSupplier(rng: DemoRandom, count: number): number {
  const u = rng.next();
  return 1 + Math.min(count - 1, Math.floor(count * u * u));
}

export function partNumber(ata: string, i: number): string {
  return `${ata}-${String(i).padStart(6, '0')}`;
}

/** Everything for part `i` (1-based), from its own random stream: same seed → same bundle. */
export function generatePartBundle(ctx: PartContext, i: number): DemoPartBundle {
  const rng = DemoRandom.stream(ctx.seed, 'part', i);
  const months = ctx.periods.length;
  const rafRow = ctx.raf && ctx.raf.length > 0 ? ctx.raf[rng.int(ctx.raf.length)]! : undefined;
  const profile = rafRow ? profileOfRafSeries(rafRow) : drawFittedProfile(rng);
  const monthly = rafRow ? resampleSeries(rng, rafRow, months) : drawFittedSeries(rng, profile, months);

  const family = rng.pick(PART_FAMILIES);
  const pn = partNumber(family.ata, i);
  const unitCost = cents(Math.max(MIN_UNIT_COST_USD, profile.unitPriceGbp * GBP_1999_TO_USD_TODAY));
  const primary = rng.weighted(AIRCRAFT_TYPES, (t) => t.weight);
  const types = [primary, ...AIRCRAFT_TYPES.filter((t) => t !== primary && t.manufacturer === primary.manufacturer && t.body === primary.body && rng.chance(0.5))];
  const expensive = unitCost > 500 ? 1.2 : 1;
  const criticality: PartRow['criticality'] = rng.chance(Math.min(0.95, family.noGoShare * expensive)) ? 'no_go' : rng.chance(0.5) ? 'go_if' : 'go';
  // A no-go shortage grounds the most expensive affected type; go-if parts ground it only sometimes.
  const aogFull = Math.max(...types.map((t) => t.aogCostPerDay)) * (0.8 + 0.4 * rng.next());
  const aogCostPerDay = criticality === 'go' ? null : Math.round((criticality === 'no_go' ? aogFull : aogFull * 0.25) / 100) * 100;
  const leadTimeMonths = Math.max(0, profile.leadTimeMonths);

  // Stocking locations: 1–3, hubs more likely; each sees a share of the part's demand.
  const nLoc = 1 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.25) ? 1 : 0);
  const chosen: (typeof LOCATIONS)[number][] = [];
  while (chosen.length < nLoc) {
    const l = rng.weighted(LOCATIONS, (x) => (chosen.includes(x) ? 0 : x.weight));
    if (!chosen.includes(l)) chosen.push(l);
  }
  const totalWeight = chosen.reduce((s, l) => s + l.weight, 0);
  const perLocation = chosen.map(() => new Int32Array(months));
  for (let t = 0; t < months; t++) {
    const q = monthly[t]!;
    if (q === 0) continue;
    if (chosen.length === 1) {
      perLocation[0]![t] = q;
      continue;
    }
    // A month's demand usually comes from one work package at one station; big ones are split.
    if (q <= 3 || rng.chance(0.7)) perLocation[chosen.indexOf(rng.weighted(chosen, (l) => l.weight))]![t] = q;
    else {
      let left = q;
      for (let k = 0; k < chosen.length - 1; k++) {
        const share = Math.min(left, Math.round((q * chosen[k]!.weight) / totalWeight));
        perLocation[k]![t] = share;
        left -= share;
      }
      perLocation[chosen.length - 1]![t] = left;
    }
  }

  const demand: DemandRow[] = [];
  const stock: StockRow[] = [];
  const leadMonths = Math.max(0.25, leadTimeMonths);
  chosen.forEach((loc, k) => {
    const series = perLocation[k]!;
    let sum = 0;
    let sumSq = 0;
    for (let t = 0; t < months; t++) {
      const q = series[t]!;
      sum += q;
      sumSq += q * q;
      const returns = q > 0 && rng.chance(0.03) ? rng.range(1, Math.min(q, 3)) : 0;
      const adjustments = rng.chance(0.004) ? (rng.chance(0.5) ? 1 : -1) : 0;
      if (q > 0 || returns > 0 || adjustments !== 0) {
        demand.push({ partNumber: pn, locationCode: loc.code, period: ctx.periods[t]!, quantity: q, returns, adjustments });
      }
    }
    const mean = months > 0 ? sum / months : 0;
    const sd = months > 1 ? Math.sqrt(Math.max(0, (sumSq - months * mean * mean) / (months - 1))) : 0;
    const safetyStock = Math.ceil(Z_95 * sd * Math.sqrt(leadMonths));
    const reorderPoint = Math.ceil(mean * leadMonths) + safetyStock;
    const maxQty = reorderPoint + Math.max(1, Math.ceil(mean * 3));
    const onHand = rng.chance(0.06) ? 0 : rng.range(Math.floor(reorderPoint / 2), maxQty);
    const reserved = onHand > 0 && rng.chance(0.2) ? rng.range(1, Math.max(1, Math.floor(onHand / 3))) : 0;
    const onOrder = onHand <= reorderPoint && rng.chance(0.7) ? maxQty - onHand : 0;
    stock.push({ partNumber: pn, locationCode: loc.code, onHand, reserved, onOrder, safetyStock, reorderPoint, minQty: reorderPoint, maxQty });
  });

  // Offers from 1–3 distinct suppliers; the first is preferred.
  const nOffers = Math.min(ctx.suppliers, 1 + (rng.chance(0.55) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0));
  const supplierIds: number[] = [];
  while (supplierIds.length < nOffers) {
    const j = pickSupplier(rng, ctx.suppliers);
    if (!supplierIds.includes(j)) supplierIds.push(j);
  }
  const baseLeadDays = Math.max(5, leadTimeMonths * 30.4);
  const moq = unitCost > 200 ? 1 : unitCost > 20 ? rng.pick([1, 1, 2, 5]) : rng.pick([5, 10, 25, 50]);
  const offers: OfferRow[] = [];
  const traits: SupplierTraits[] = [];
  for (const [k, j] of supplierIds.entries()) {
    const t = supplierTraits(ctx.seed, j);
    traits.push(t);
    const mean = Math.round(baseLeadDays * t.leadFactor * 10) / 10;
    offers.push({
      supplierCode: supplierCode(j), partNumber: pn, price: cents(unitCost * (0.85 + 0.4 * rng.next())), currency: 'USD', moq,
      leadTimeMeanDays: mean, leadTimeSdDays: Math.round(mean * (0.1 + 0.35 * rng.next()) * 10) / 10, leadTimeSamplesDays: null,
      preferred: k === 0, validFrom: null, validTo: null,
    });
  }

  // Delivery history: orders placed in months with demand, mostly to the preferred supplier.
  const deliveries: DeliveryRow[] = [];
  const firstDay = ctx.periodStartDays[0] ?? ctx.asOfDay;
  const demandMonths = monthly.reduce((n, q) => n + (q > 0 ? 1 : 0), 0);
  const orders = Math.min(8, Math.ceil(demandMonths / 3));
  for (let o = 0; o < orders; o++) {
    const k = offers.length > 1 && rng.chance(0.25) ? 1 + rng.int(offers.length - 1) : 0;
    const offer = offers[k]!;
    const t = traits[k]!;
    const ordered = firstDay + rng.int(Math.max(1, ctx.asOfDay - firstDay));
    const promised = ordered + Math.max(1, Math.round(offer.leadTimeMeanDays ?? baseLeadDays));
    const delay = rng.chance(t.onTimeRate) ? -rng.range(0, 5) : Math.min(180, 1 + Math.round(rng.logNormal(t.lateMedianDays, 0.9)));
    const actual = Math.max(ordered + 1, promised + delay);
    deliveries.push({
      supplierCode: offer.supplierCode, reference: `PO-${String(i).padStart(6, '0')}-${o + 1}`, partNumber: pn,
      locationCode: chosen[rng.int(chosen.length)]!.code,
      quantity: Math.max(offer.moq, rng.range(1, Math.max(1, Math.ceil(profile.meanSize * 2)))),
      orderedDate: isoDay(ordered), promisedDate: isoDay(promised), actualDate: actual <= ctx.asOfDay ? isoDay(actual) : null,
    });
  }

  return {
    part: {
      partNumber: pn,
      description: profile.rafDescription ?? rng.pick(family.nouns),
      category: `ATA ${family.ata} ${family.name}`,
      criticality,
      unitOfMeasure: 'EA',
      unitCost,
      currency: 'USD',
      aogCost: aogCostPerDay,
      aogCostUnit: aogCostPerDay === null ? null : 'day',
      aogCostSource: aogCostPerDay === null ? null : 'demo: aircraft-day cost of the most expensive type it grounds',
      leadTimeDays: Math.round(leadTimeMonths * 30.4),
      // Where the demand pattern came from: a RAF row (resampled) or the fitted model.
      externalRef: profile.rafItem ? `demo-raf:${profile.rafItem}` : null,
      aircraftTypes: types.map((t) => t.code),
    },
    stock, offers, demand, deliveries, monthlyDemand: monthly,
  };
}
