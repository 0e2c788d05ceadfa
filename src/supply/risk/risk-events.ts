import {
  deterministicLeadTime,
  leadTimeExceedance,
  residualLeadTime,
  scaleLeadTime,
  type LeadTimeDistribution,
} from '../leadtime/lead-time-distribution.js';
import { RISK_EVENT_TYPES, type EventDurationModels, type RiskEventType } from './event-duration-priors.js';
import { SupplyRiskError, requireProbability, toEpochDays, type DateInput } from './supply-risk-error.js';
import { applyEventMatches } from './event-impact.js';

export { applyEventMatches, combinedActiveImpact } from './event-impact.js';

/**
 * An external risk event. Location lists are matched case-insensitively against a supply node; an
 * event with no location matches nothing (a "global" event must name what it touches).
 * `severity` ∈ [0, 1] is read as the probability that a shipment passing through the affected node
 * is held for the event's duration (1 = full closure). `probability` ∈ [0, 1] is the chance an
 * announced event happens at all (default 1).
 */
export interface RiskEvent {
  readonly id: string;
  readonly type: RiskEventType;
  readonly name?: string;
  readonly countries?: readonly string[];
  readonly regions?: readonly string[];
  readonly ports?: readonly string[];
  readonly supplierIds?: readonly string[];
  readonly start: DateInput;
  readonly expectedEnd?: DateInput;
  readonly actualEnd?: DateInput;
  readonly severity: number;
  readonly probability?: number;
}

/** Where a supplier's goods come from and pass through. */
export interface SupplyNode {
  readonly supplierId: string;
  readonly country: string;
  readonly region?: string;
  readonly ports?: readonly string[];
}

export type MatchDimension = 'supplier' | 'country' | 'region' | 'port';

/** An event that can delay this node's next replenishment, with the delay it adds if it does. */
export interface EventMatch {
  readonly eventId: string;
  readonly name: string;
  readonly type: RiskEventType;
  readonly status: 'active' | 'announced';
  readonly matchedOn: readonly MatchDimension[];
  /** P(this replenishment is delayed by the event) = probability × severity × P(overlap). */
  readonly impactProbability: number;
  /** Delay in days if it is (residual duration for active events). */
  readonly delay: LeadTimeDistribution;
  readonly source: string;
}

const norm = (s: string): string => s.trim().toUpperCase();

function includesNorm(list: readonly string[] | undefined, value: string | undefined): boolean {
  if (!list || value === undefined) return false;
  const v = norm(value);
  return list.some((x) => norm(x) === v);
}

/** Checks an event's fields; throws {@link SupplyRiskError} naming the field and the rule. */
export function validateRiskEvent(e: RiskEvent): void {
  if (!(RISK_EVENT_TYPES as readonly string[]).includes(e.type)) {
    throw new SupplyRiskError(
      'SUPPLY_RISK_INVALID_EVENT',
      `event ${e.id}.type`,
      `must be one of ${RISK_EVENT_TYPES.join(', ')}`,
      e.type,
    );
  }
  requireProbability(`event ${e.id}.severity`, e.severity);
  if (e.probability !== undefined) requireProbability(`event ${e.id}.probability`, e.probability);
  const start = toEpochDays(`event ${e.id}.start`, e.start);
  for (const key of ['expectedEnd', 'actualEnd'] as const) {
    const v = e[key];
    if (v !== undefined && toEpochDays(`event ${e.id}.${key}`, v) < start) {
      throw new SupplyRiskError(
        'SUPPLY_RISK_INVALID_EVENT',
        `event ${e.id}.${key}`,
        'must not be before start',
      );
    }
  }
}

/** Which location dimensions of the event touch the node (empty = no match). */
export function matchDimensions(e: RiskEvent, node: SupplyNode): MatchDimension[] {
  const dims: MatchDimension[] = [];
  if (includesNorm(e.supplierIds, node.supplierId)) dims.push('supplier');
  if (includesNorm(e.countries, node.country)) dims.push('country');
  if (includesNorm(e.regions, node.region)) dims.push('region');
  if (node.ports?.some((p) => includesNorm(e.ports, p))) dims.push('port');
  return dims;
}

/** Events validated once, with dates converted and a location index; reuse across all suppliers. */
export interface PreparedRiskEvents {
  readonly events: readonly RiskEvent[];
  readonly starts: Float64Array;
  readonly expectedEnds: Float64Array; // NaN when absent
  readonly actualEnds: Float64Array; // NaN when absent
  /** Keys `S:`/`C:`/`R:`/`P:` + normalised id → event indexes. */
  readonly index: ReadonlyMap<string, readonly number[]>;
  /** Delay distributions per (duration models, event, now), computed on first use. */
  readonly delayCache: WeakMap<EventDurationModels, Map<string, LeadTimeDistribution>>;
  /**
   * Candidate events per node and the dimensions each matches on (a supplier's offers share its node),
   * computed on first use.
   */
  readonly candidateCache: WeakMap<SupplyNode, NodeCandidates>;
}

/** Validates every event (throws on the first bad one) and indexes them by location. */
export function prepareRiskEvents(events: readonly RiskEvent[]): PreparedRiskEvents {
  const starts = new Float64Array(events.length);
  const expectedEnds = new Float64Array(events.length).fill(Number.NaN);
  const actualEnds = new Float64Array(events.length).fill(Number.NaN);
  const index = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const list = index.get(key);
    if (list === undefined) index.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  events.forEach((e, i) => {
    validateRiskEvent(e);
    starts[i] = toEpochDays('start', e.start);
    if (e.expectedEnd !== undefined) expectedEnds[i] = toEpochDays('expectedEnd', e.expectedEnd);
    if (e.actualEnd !== undefined) actualEnds[i] = toEpochDays('actualEnd', e.actualEnd);
    e.supplierIds?.forEach((x) => add(`S:${norm(x)}`, i));
    e.countries?.forEach((x) => add(`C:${norm(x)}`, i));
    e.regions?.forEach((x) => add(`R:${norm(x)}`, i));
    e.ports?.forEach((x) => add(`P:${norm(x)}`, i));
  });
  return { events, starts, expectedEnds, actualEnds, index, delayCache: new WeakMap(), candidateCache: new WeakMap() };
}

interface NodeCandidates {
  /** Event indexes, ascending. */
  readonly events: readonly number[];
  /** matchDimensions of each, index-aligned. */
  readonly dims: readonly (readonly MatchDimension[])[];
}

function takeCandidates(prepared: PreparedRiskEvents, key: string, out: number[]): void {
  const list = prepared.index.get(key);
  if (list) for (const i of list) if (!out.includes(i)) out.push(i);
}

/** The events whose locations touch the node, ascending, with their match dimensions (cached per node object). */
function candidates(prepared: PreparedRiskEvents, node: SupplyNode): NodeCandidates {
  const cached = prepared.candidateCache.get(node);
  if (cached !== undefined) return cached;
  const out: number[] = [];
  takeCandidates(prepared, `S:${norm(node.supplierId)}`, out);
  takeCandidates(prepared, `C:${norm(node.country)}`, out);
  if (node.region !== undefined) takeCandidates(prepared, `R:${norm(node.region)}`, out);
  if (node.ports !== undefined) for (const p of node.ports) takeCandidates(prepared, `P:${norm(p)}`, out);
  out.sort((a, b) => a - b);
  const found = { events: out, dims: out.map((i) => matchDimensions(prepared.events[i]!, node)) };
  prepared.candidateCache.set(node, found);
  return found;
}

function eventDelay(
  prepared: PreparedRiskEvents,
  i: number,
  termDay: number,
  models: EventDurationModels,
): LeadTimeDistribution {
  const key = `${i}@${termDay}`;
  let cache = prepared.delayCache.get(models);
  if (cache === undefined) {
    cache = new Map();
    prepared.delayCache.set(models, cache);
  }
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const e = prepared.events[i]!;
  const start = prepared.starts[i]!;
  const expectedEnd = prepared.expectedEnds[i]!;
  const model = models[e.type];
  let duration = model.duration;
  if (!Number.isNaN(expectedEnd) && expectedEnd > start && duration.mean > 0) {
    duration = scaleLeadTime(duration, (expectedEnd - start) / duration.mean);
  }
  let delay = duration;
  if (start <= termDay) {
    delay =
      residualLeadTime(duration, termDay - start) ??
      (!Number.isNaN(expectedEnd) && expectedEnd > termDay
        ? deterministicLeadTime(expectedEnd - termDay)
        : model.duration);
  }
  cache.set(key, delay);
  return delay;
}

/**
 * Events that touch `node` during the replenishment window [now, now + L], where L is the node's
 * lead time before events (`baseLeadTime`). Ended events (actualEnd ≤ now) drop out; an active event
 * contributes its residual duration given how long it has lasted; an announced event contributes its
 * full duration weighted by P(L > start − now), the chance the shipment is still in transit when it
 * starts. When an `expectedEnd` is given it sets the scale of the type's duration distribution
 * (shape from the type, mean = expectedEnd − start). If an active event has outlasted every
 * precedent, the residual is the time to its expected end if that is in the future, else the type's
 * full duration again (memoryless fallback). Pass {@link prepareRiskEvents} output when scoring many
 * suppliers against the same events.
 */
export function matchRiskEvents(
  events: readonly RiskEvent[] | PreparedRiskEvents,
  node: SupplyNode,
  now: DateInput,
  baseLeadTime: LeadTimeDistribution,
  models: EventDurationModels,
): EventMatch[] {
  const prepared = 'index' in events ? events : prepareRiskEvents(events);
  const nowDay = toEpochDays('now', now);
  // Whether an event has started or ended uses the exact time; its time-dependent terms (an active
  // event's residual duration, an announced one's chance to overlap the shipment) are taken at the
  // start of the current UTC day. Days are the model's resolution, and re-scoring unchanged inputs
  // within a day then gives identical lead times and digests, so unchanged items are not rewritten.
  const termDay = Math.floor(nowDay);
  const out: EventMatch[] = [];
  const found = candidates(prepared, node);
  for (let c = 0; c < found.events.length; c++) {
    const i = found.events[c]!;
    const e = prepared.events[i]!;
    const start = prepared.starts[i]!;
    const actualEnd = prepared.actualEnds[i]!;
    if (!Number.isNaN(actualEnd) && actualEnd <= nowDay) continue;
    const overlap = start <= nowDay ? 1 : leadTimeExceedance(baseLeadTime, start - termDay);
    const q = (e.probability ?? 1) * e.severity * overlap;
    if (q <= 0) continue;
    out.push({
      eventId: e.id,
      name: e.name ?? e.id,
      type: e.type,
      status: start <= nowDay ? 'active' : 'announced',
      matchedOn: found.dims[c]!,
      impactProbability: q,
      delay: eventDelay(prepared, i, termDay, models),
      source: models[e.type].source,
    });
  }
  return out;
}

/**
 * Whether the node's matches can differ between lead times: only an announced event's chance to
 * overlap the shipment depends on the lead time, so a node whose candidate events have all started
 * (or ended) matches the same events with the same impact for every offer, and callers may match once.
 */
export function matchesDependOnLeadTime(prepared: PreparedRiskEvents, node: SupplyNode, now: DateInput): boolean {
  const nowDay = toEpochDays('now', now);
  const found = candidates(prepared, node);
  for (const i of found.events) {
    const actualEnd = prepared.actualEnds[i]!;
    if (prepared.starts[i]! > nowDay && !(actualEnd <= nowDay)) return true;
  }
  return false;
}

/** Convenience: match then apply. Returns the inflated lead time and the events that caused it. */
export function applyRiskEvents(
  base: LeadTimeDistribution,
  events: readonly RiskEvent[] | PreparedRiskEvents,
  node: SupplyNode,
  now: DateInput,
  models: EventDurationModels,
): { leadTime: LeadTimeDistribution; matches: EventMatch[] } {
  if ('index' in events ? events.events.length === 0 : events.length === 0)
    return { leadTime: base, matches: [] };
  const matches = matchRiskEvents(events, node, now, base, models);
  return { leadTime: applyEventMatches(base, matches), matches };
}
