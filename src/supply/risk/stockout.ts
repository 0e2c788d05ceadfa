import type { DemandDistribution } from '../demand-distribution.js';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import { normalCdf } from './numeric.js';
import { requireFinite } from './supply-risk-error.js';

/** Average Gregorian month in days: demand periods are months, lead times are days. */
export const DAYS_PER_MONTH = 365.2425 / 12;

/** An open purchase-order line expected to arrive `dueInDays` from now. */
export interface OnOrderLine {
  readonly quantity: number;
  readonly dueInDays: number;
}

/** Stock of one part at one location. `reserved` units are promised to work orders already. */
export interface StockPosition {
  readonly onHand: number;
  readonly reserved?: number;
  readonly onOrder?: readonly OnOrderLine[];
}

/**
 * How a shortage of this part grounds aircraft. Present only for parts essential to a fleet type
 * (e.g. ATA Spec 2000 essentiality "No-Go"). Each unit short grounds `aircraftPerUnitShort` aircraft
 * (1 under METRIC's usual assumption that one backorder = one hole in one aircraft). At any moment
 * no more than `fleetSize` aircraft can be down, and none while there is no shortage, so expected AOG
 * days never exceed `fleetSize` × the expected days short.
 */
export interface AogProfile {
  readonly aircraftPerUnitShort?: number;
  readonly fleetSize?: number;
}

export interface StockoutOptions {
  readonly daysPerPeriod?: number;
  /**
   * `full` (default) computes every field. `score` computes only what the risk score needs: for a
   * part that grounds nothing that is the stockout probability alone (one tail call per lead-time
   * point), and the shortage / days-short / backorder-days fields are left undefined. Parts with an
   * AOG profile are always computed in full (their exposure needs the backorder integral).
   */
  readonly detail?: 'full' | 'score';
  readonly aog?: AogProfile;
  /**
   * Time integrals (days short, backorder-days): `fast` (default) Simpson on [0, d₁] and trapezoid on
   * the lead-time grid after it; `simpson` composite Simpson everywhere (panels ≤ max L / 4);
   * `trapezoid` grid points only.
   */
  readonly quadrature?: 'fast' | 'simpson' | 'trapezoid';
}

export interface StockoutResult {
  /** P(out of stock at some time before the replenishment arrives at L), mixed over the lead-time grid. */
  readonly stockoutProbability: number;
  /** E[(D(L) − A(L))⁺]: units backordered when the replenishment arrives (undefined in `score` detail). */
  readonly expectedShortageUnits: number | undefined;
  /** E[time within [0, L] during which stock is out] in days (undefined in `score` detail). */
  readonly expectedDaysShort: number | undefined;
  /** E[∫₀ᴸ (D(t) − A(t))⁺ dt]: unit-days of backorder (undefined in `score` detail). */
  readonly expectedBackorderDays: number | undefined;
  /** Aircraft-days on ground; 0 for parts that ground nothing. */
  readonly expectedAogDays: number;
  readonly meanLeadTimeDays: number;
  readonly meanLeadTimeDemand: number;
  /** on hand − reserved (may be negative: reservations exceed stock). */
  readonly availableNow: number;
}

/** Above this many available units the loss function uses the normal approximation (no O(A) pmf). */
const LARGE_STOCK = 512;
/** Simpson panels on the first lead-time interval in `fast` quadrature. */
const FIRST_INTERVAL_PANELS = 2;
/** Tail probabilities below this are treated as "no shortage" for the loss function. */
const NEGLIGIBLE_TAIL = 1e-10;

/** Throws on negative or non-finite stock figures, naming the field. */
export function validateStockPosition(p: StockPosition): void {
  requireFinite('position.onHand', p.onHand, 0);
  if (p.reserved !== undefined) requireFinite('position.reserved', p.reserved, 0);
  const lines = p.onOrder;
  if (lines === undefined) return;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    // Field names are built only for a failure (this runs for every scored item).
    if (!(Number.isFinite(l.quantity) && l.quantity >= 0)) requireFinite(`position.onOrder[${i}].quantity`, l.quantity, 0);
    if (!(Number.isFinite(l.dueInDays) && l.dueInDays >= 0)) requireFinite(`position.onOrder[${i}].dueInDays`, l.dueInDays, 0);
  }
}

function availableAt(base: number, onOrder: readonly OnOrderLine[] | undefined, t: number): number {
  if (onOrder === undefined) return base;
  let a = base;
  for (let i = 0; i < onOrder.length; i++) if (onOrder[i]!.dueInDays <= t) a += onOrder[i]!.quantity;
  return a;
}

/** How far before an order line's arrival its left limit is evaluated (days). */
const JUMP_EPSILON_DAYS = 1e-6;

/** P(D(t) > a) for stock a (a < 0: reservations exceed stock, so short already). */
function tailAt(demand: DemandDistribution, periods: number, a: number): number {
  return a < 0 ? 1 : periods <= 0 ? 0 : demand.tailProbability(periods, Math.floor(a));
}

/**
 * The order lines arriving within the longest lead time: distinct due times τ (ascending) and, for
 * each, P(D(τ) > stock held just before τ) — the chance of running out before that line arrives.
 *
 * Demand only grows and stock only grows when a line arrives, so the stock runs out within [0, t]
 * exactly when demand outruns the stock held just before some arrival τ ≤ t, or at t. The stockout
 * probability is the largest of those tails: a lower bound of their union, exact when no line arrives
 * inside the window, and never below the end-of-window probability. (The end-of-window measure alone
 * read a part with nothing on hand and an order due in 10 months as almost never short, while its
 * backorders ran for those 10 months.) Computed once per item, not per lead-time point.
 */
interface Arrivals {
  readonly due: number[];
  readonly shortBefore: number[];
}

function arrivalsOf(demand: DemandDistribution, base: number, onOrder: readonly OnOrderLine[], dpp: number, until: number): Arrivals {
  const due: number[] = [];
  for (const l of onOrder) if (l.dueInDays > 0 && l.dueInDays <= until && !due.includes(l.dueInDays)) due.push(l.dueInDays);
  due.sort((x, y) => x - y);
  const shortBefore = due.map((tau) => {
    let before = base;
    for (const l of onOrder) if (l.dueInDays < tau) before += l.quantity;
    return tailAt(demand, tau / dpp, before);
  });
  return { due, shortBefore };
}

// Scratch results of one evaluation, reused to avoid allocating per call.
let outTail = 0;
let outLoss = 0;
const fused = new Float64Array(2);

/** Sets outTail = P(D(t) > A) and outLoss = E[(D(t) − A)⁺]. */
function evaluate(demand: DemandDistribution, periods: number, a: number): void {
  const mean = demand.meanPerPeriod * periods;
  if (periods <= 0) {
    outTail = a < 0 ? 1 : 0;
    outLoss = Math.max(0, -a);
    return;
  }
  if (a < 0) {
    outTail = 1;
    outLoss = mean - a;
    return;
  }
  if (a <= LARGE_STOCK && demand.tailAndShortfall?.(periods, a, fused) === true) {
    // One pass over the pmf gives both the tail and E[(a − D)⁺] (no pmf array).
    outTail = fused[0]!;
    outLoss = outTail < NEGLIGIBLE_TAIL ? 0 : Math.max(0, mean - a + fused[1]!);
    return;
  }
  const units = Math.floor(a);
  const tail = demand.tailProbability(periods, units);
  outTail = tail;
  if (tail < NEGLIGIBLE_TAIL) {
    outLoss = 0;
    return;
  }
  if (a > LARGE_STOCK) {
    // E[(D − a)⁺] ≈ σ·(φ(z) − z·(1 − Φ(z))) with variance additive over periods (independence).
    const sd = Math.sqrt(Math.max(1e-12, demand.variancePerPeriod * periods));
    const z = (a - mean) / sd;
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    outLoss = Math.max(0, sd * (phi - z * (1 - normalCdf(z))));
    return;
  }
  // E[(D − a)⁺] = E[D] − a + E[(a − D)⁺], and E[(a − D)⁺] = Σ_{k < a} (a − k)·P(D = k).
  const m = Math.ceil(a);
  let below = 0;
  if (m > 0) {
    const pmf = demand.pmf(periods, m);
    const n = Math.min(m, pmf.length);
    for (let k = 0; k < n; k++) below += (a - k) * pmf[k]!;
  }
  outLoss = Math.max(0, mean - a + below);
}

/** P(D(L) > a) mixed over the lead-time grid (the cycle stockout probability at reorder point a). */
export function leadTimeDemandTail(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  a: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  let p = 0;
  for (let j = 0; j < leadTime.days.length; j++) {
    evaluate(demand, leadTime.days[j]! / daysPerPeriod, a);
    p += leadTime.probs[j]! * outTail;
  }
  return Math.min(1, p);
}

/** E[(D(L) − a)⁺] mixed over the lead-time grid (the standard loss function of lead-time demand). */
export function leadTimeDemandLoss(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  a: number,
  daysPerPeriod = DAYS_PER_MONTH,
): number {
  let loss = 0;
  for (let j = 0; j < leadTime.days.length; j++) {
    evaluate(demand, leadTime.days[j]! / daysPerPeriod, a);
    loss += leadTime.probs[j]! * outLoss;
  }
  return loss;
}

/**
 * Stockout and AOG risk of one part over its replenishment lead time.
 *
 * Model (continuous review, an order placed now):
 * - Demand over t days is D(t) with the forecaster's distribution at t / daysPerPeriod periods;
 *   demand is independent of the lead time and, for the large-stock normal approximation, its
 *   variance adds across periods (independent increments).
 * - Available stock A(t) = on hand − reserved + on-order lines due by t. Lines due after the lead
 *   time do not protect this window.
 * - Stockout probability is the chance of at least one stockout within [0, L], mixed over the
 *   lead-time grid: P(D(L) > A(L)) when no order line arrives inside the window; with staggered
 *   arrivals the largest of the per-interval probabilities (see `arrivalsOf`).
 * - Backorders are filled when the replenishment arrives at L, so time integrals run over [0, L]:
 *   E[days short] = Σⱼ P(L ≥ dⱼ) ∫_{dⱼ₋₁}^{dⱼ} P(D(t) > A(t)) dt and the same for backorder unit-days,
 *   integrated by composite Simpson on each lead-time interval, panels ≤ max(L)/4 (trapezoid if asked).
 * - Expected AOG days = aircraftPerUnitShort × backorder unit-days (METRIC: a backorder is a hole
 *   in an aircraft), capped at fleetSize × E[days short] (grounded aircraft ≤ min(backorders, fleet)
 *   at every instant; a cap of fleetSize × E[L] would charge a whole lead time of AOG to a part that
 *   is rarely short).
 * Cost: about 2 × (grid size + 4) tail calls plus pmf calls of size ≤ A only where the tail is not
 * negligible; no allocation beyond the pmf arrays and the result.
 */
export function assessStockout(
  demand: DemandDistribution,
  leadTime: LeadTimeDistribution,
  position: StockPosition,
  options: StockoutOptions = {},
): StockoutResult {
  validateStockPosition(position);
  const dpp = options.daysPerPeriod ?? DAYS_PER_MONTH;
  const quadrature = options.quadrature ?? 'fast';
  const base = position.onHand - (position.reserved ?? 0);
  const onOrder =
    position.onOrder !== undefined && position.onOrder.length > 0 ? position.onOrder : undefined;
  const days = leadTime.days;
  const probs = leadTime.probs;
  const n = days.length;
  if (options.detail === 'score' && options.aog === undefined) {
    let p = 0;
    const arrivals = onOrder === undefined ? undefined : arrivalsOf(demand, base, onOrder, dpp, n > 0 ? days[n - 1]! : 0);
    let passed = 0;
    let shortBeforeArrival = 0;
    for (let j = 0; j < n; j++) {
      const t = days[j]!;
      while (arrivals !== undefined && passed < arrivals.due.length && arrivals.due[passed]! <= t) {
        shortBeforeArrival = Math.max(shortBeforeArrival, arrivals.shortBefore[passed++]!);
      }
      p += probs[j]! * Math.max(shortBeforeArrival, tailAt(demand, t / dpp, availableAt(base, onOrder, t)));
    }
    return {
      stockoutProbability: Math.min(1, Math.max(0, p)),
      expectedShortageUnits: undefined,
      expectedDaysShort: undefined,
      expectedBackorderDays: undefined,
      expectedAogDays: 0,
      meanLeadTimeDays: leadTime.mean,
      meanLeadTimeDemand: (demand.meanPerPeriod * leadTime.mean) / dpp,
      availableNow: base,
    };
  }

  // Survival weights S_j = P(L ≥ d_j), accumulated from the right without an array.
  let total = 0;
  for (let j = 0; j < n; j++) total += probs[j]!;
  let survival = total;

  let pStock = 0;
  let shortage = 0;
  let daysShort = 0;
  let backorderDays = 0;
  let prevT = 0;
  const maxPanel = n > 0 ? Math.max(1e-9, days[n - 1]! / 4) : 1;
  // Simpson panels for a piece of the window: in `fast`, only pieces where the integrand bends most
  // (the first interval, where the grid says nothing, and after an order line's jump) get
  // FIRST_INTERVAL_PANELS; 0 means the trapezoid on the piece's ends.
  const panelsFor = (width: number, bends: boolean): number =>
    width <= 0 || quadrature === 'trapezoid' ? 0
      : quadrature === 'simpson' ? Math.max(1, Math.ceil(width / maxPanel - 1e-9))
        : bends ? FIRST_INTERVAL_PANELS : 0;
  let segTail = 0;
  let segLoss = 0;
  /** ∫ of P(D > A) and E[(D − A)⁺] over [x0, x1] from the end values (composite Simpson or trapezoid) into segTail/segLoss. */
  const integrateSegment = (x0: number, f0: number, l0: number, x1: number, f1: number, l1: number, panels: number): void => {
    const width = x1 - x0;
    if (panels === 0) {
      segTail = (width / 2) * (f0 + f1);
      segLoss = (width / 2) * (l0 + l1);
      return;
    }
    const h = width / panels;
    let fa = f0;
    let la = l0;
    segTail = 0;
    segLoss = 0;
    for (let k = 1; k <= panels; k++) {
      const end = x0 + k * h;
      evaluate(demand, (end - h / 2) / dpp, availableAt(base, onOrder, end - h / 2));
      const midTail = outTail;
      const midLoss = outLoss;
      let fb = f1;
      let lb = l1;
      if (k < panels) {
        evaluate(demand, end / dpp, availableAt(base, onOrder, end));
        fb = outTail;
        lb = outLoss;
      }
      segTail += (h / 6) * (fa + 4 * midTail + fb);
      segLoss += (h / 6) * (la + 4 * midLoss + lb);
      fa = fb;
      la = lb;
    }
  };
  const arrivals = onOrder === undefined ? undefined : arrivalsOf(demand, base, onOrder, dpp, n > 0 ? days[n - 1]! : 0);
  let passed = 0;
  let shortBeforeArrival = 0;
  evaluate(demand, 0, availableAt(base, onOrder, 0));
  let prevTail = outTail;
  let prevLoss = outLoss;
  for (let j = 0; j < n; j++) {
    const t = days[j]!;
    evaluate(demand, t / dpp, availableAt(base, onOrder, t));
    const tail = outTail;
    const loss = outLoss;
    // An order line arriving inside the interval makes the integrands jump: integrate up to it (its
    // left limit) and on from it separately, Simpson on each piece, so the jump is not smeared.
    let intTail = 0;
    let intLoss = 0;
    let x0 = prevT;
    let f0 = prevTail;
    let l0 = prevLoss;
    while (arrivals !== undefined && passed < arrivals.due.length && arrivals.due[passed]! <= t) {
      const due = arrivals.due[passed]!;
      shortBeforeArrival = Math.max(shortBeforeArrival, arrivals.shortBefore[passed++]!);
      if (due < t) {
        evaluate(demand, (due - JUMP_EPSILON_DAYS) / dpp, availableAt(base, onOrder, due - JUMP_EPSILON_DAYS));
        integrateSegment(x0, f0, l0, due, outTail, outLoss, panelsFor(due - x0, true));
        intTail += segTail;
        intLoss += segLoss;
        evaluate(demand, due / dpp, availableAt(base, onOrder, due));
        x0 = due;
        f0 = outTail;
        l0 = outLoss;
      }
    }
    integrateSegment(x0, f0, l0, t, tail, loss, panelsFor(t - x0, j === 0 || x0 !== prevT));
    intTail += segTail;
    intLoss += segLoss;
    daysShort += survival * intTail;
    backorderDays += survival * intLoss;
    pStock += probs[j]! * Math.max(shortBeforeArrival, tail);
    shortage += probs[j]! * loss;
    survival -= probs[j]!;
    prevT = t;
    prevTail = tail;
    prevLoss = loss;
  }

  let aogDays = 0;
  if (options.aog !== undefined) {
    const perUnit = requireFinite('aog.aircraftPerUnitShort', options.aog.aircraftPerUnitShort ?? 1, 0);
    aogDays = perUnit * backorderDays;
    if (options.aog.fleetSize !== undefined) {
      aogDays = Math.min(aogDays, requireFinite('aog.fleetSize', options.aog.fleetSize, 0) * daysShort);
    }
  }
  return {
    stockoutProbability: Math.min(1, Math.max(0, pStock)),
    expectedShortageUnits: shortage,
    expectedDaysShort: daysShort,
    expectedBackorderDays: backorderDays,
    expectedAogDays: aogDays,
    meanLeadTimeDays: leadTime.mean,
    meanLeadTimeDemand: (demand.meanPerPeriod * leadTime.mean) / dpp,
    availableNow: base,
  };
}
