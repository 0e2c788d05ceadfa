import { hash } from 'node:crypto';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import {
  DEFAULT_RELIABILITY_PRIOR,
  estimateSupplierReliability,
  type DeliveryRecord,
  type ReliabilityPrior,
  type SupplierReliability,
} from '../leadtime/supplier-lead-time.js';
import type { EventDurationModels } from '../risk/event-duration-priors.js';
import { prepareRiskEvents, validateRiskEvent, type PreparedRiskEvents, type RiskEvent } from '../risk/risk-events.js';
import { buildSupplyLeadTime, type SupplyLeadTime } from '../risk/supply-lead-time.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';
import type { PortfolioSuppliers } from './portfolio-input.js';

const MS_PER_DAY = 86_400_000;

/**
 * Offers are quantised before their lead time is built, so a supplier quoting 42.0 and 42.2 days
 * shares one distribution instead of building two. Means up to 50 days go to the nearest half day,
 * longer ones to 1 % steps; the spread to steps of 5 % of the mean (capped at 5 × the mean). The error
 * (≤ 0.5 % of the mean, ≤ 2.5 % of it on the sd) is far inside the uncertainty of any quote.
 */
export function quantizeOffer(meanDays: number, sdDays: number): { mean: number; sd: number; key: number } {
  const mb = meanBin(meanDays);
  const mean = binMean(mb);
  const sb = spreadBin(sdDays, mean);
  return { mean, sd: sb * 0.05 * Math.max(mean, 0.5), key: mb * 128 + sb };
}

const meanBin = (meanDays: number): number =>
  meanDays <= 50 ? Math.round(meanDays * 2) : 100 + Math.round(Math.log(meanDays / 50) / Math.log(1.01));
const binMean = (mb: number): number => (mb <= 100 ? mb / 2 : 50 * Math.pow(1.01, mb - 100));
const spreadBin = (sdDays: number, mean: number): number => Math.min(100, Math.round(sdDays / Math.max(mean, 0.5) / 0.05));

/** quantizeOffer's key without the object (the per-item lookup). */
function offerKey(meanDays: number, sdDays: number): number {
  const mb = meanBin(meanDays);
  return mb * 128 + spreadBin(sdDays, binMean(mb));
}

/** One (supplier, quantised offer) lead time, shared by every item replenished on it. */
export interface LeadTimeEntry {
  readonly supplier: number;
  readonly meanDays: number;
  readonly sdDays: number;
  readonly supply: SupplyLeadTime | undefined;
  /** SHA-256 of what the items are scored against: the 8-point grid and the events behind it. */
  readonly digest: Uint8Array;
  readonly error: SupplyRiskError | undefined;
}

export interface EventCheck {
  readonly events: PreparedRiskEvents;
  /** Events refused by validation, with the reason: reported, never silently used or dropped. */
  readonly rejected: readonly { eventId: string; field: string; rule: string }[];
}

/** Validates events one by one, keeping the good ones, so one bad event cannot stop a portfolio run. */
export function checkEvents(events: readonly RiskEvent[]): EventCheck {
  const good: RiskEvent[] = [];
  const rejected: { eventId: string; field: string; rule: string }[] = [];
  for (const e of events) {
    try {
      validateRiskEvent(e);
      good.push(e);
    } catch (err) {
      if (!(err instanceof SupplyRiskError)) throw err;
      rejected.push({ eventId: e.id, field: err.field, rule: err.rule });
    }
  }
  return { events: prepareRiskEvents(good), rejected };
}

/**
 * Builds lead times lazily, once per (supplier, quantised offer), with supplier reliability estimated
 * once per supplier. Items of one supplier should be scored by one table (the worker pool partitions
 * items by supplier for this reason), so nothing is built twice.
 */
export class LeadTimeTable {
  /** Per supplier + 1 (slot 0 = no supplier): offer key → entry. Small-integer keys stay fast in a Map. */
  private readonly entries: (Map<number, LeadTimeEntry> | undefined)[] = [];
  private count = 0;
  private readonly reliability = new Map<number, SupplierReliability>();

  constructor(
    private readonly suppliers: PortfolioSuppliers,
    private readonly events: PreparedRiskEvents,
    private readonly now: number,
    private readonly models: EventDurationModels,
    private readonly prior: ReliabilityPrior = DEFAULT_RELIABILITY_PRIOR,
    /** Digest of the run's settings (score params, priors, models), mixed into every entry digest. */
    private readonly settingsDigest: Uint8Array = new Uint8Array(32),
  ) {}

  get size(): number {
    return this.count;
  }

  /** Supplier −1 (unknown source) gets the prior alone, like a supplier with no history. */
  private reliabilityOf(s: number): SupplierReliability {
    let r = this.reliability.get(s);
    if (r === undefined) {
      const from = s < 0 ? 0 : this.suppliers.historyOffsets[s]!;
      const to = s < 0 ? 0 : this.suppliers.historyOffsets[s + 1]!;
      const history: DeliveryRecord[] = [];
      for (let k = from; k < to; k++)
        history.push({
          promised: this.suppliers.promisedDay[k]! * MS_PER_DAY,
          actual: this.suppliers.actualDay[k]! * MS_PER_DAY,
        });
      r = estimateSupplierReliability(history, this.prior);
      this.reliability.set(s, r);
    }
    return r;
  }

  /** The entry for supplier `s` (−1 = no supplier: offer only, no reliability, no events). */
  entry(s: number, meanDays: number, sdDays: number): LeadTimeEntry {
    const key = offerKey(meanDays, sdDays);
    let offers = this.entries[s + 1];
    if (offers === undefined) {
      offers = new Map();
      this.entries[s + 1] = offers;
    }
    let e = offers.get(key);
    if (e === undefined) {
      const q = quantizeOffer(meanDays, sdDays);
      e = this.build(s, q.mean, q.sd);
      offers.set(key, e);
      this.count++;
    }
    return e;
  }

  private build(s: number, meanDays: number, sdDays: number): LeadTimeEntry {
    try {
      const offer = { meanDays, sdDays };
      const supply =
        s < 0
          ? buildSupplyLeadTime({
              offer,
              node: { supplierId: '', country: '' },
              reliability: this.reliabilityOf(-1),
              events: EMPTY_EVENTS,
              now: this.now,
              models: this.models,
            })
          : buildSupplyLeadTime({
              offer,
              node: this.suppliers.nodes[s]!,
              reliability: this.reliabilityOf(s),
              events: this.events,
              now: this.now,
              models: this.models,
            });
      const digest = entryDigest(this.settingsDigest, supply.leadTime, supply.matches);
      return { supplier: s, meanDays, sdDays, supply, digest, error: undefined };
    } catch (err) {
      if (!(err instanceof SupplyRiskError)) throw err;
      return { supplier: s, meanDays, sdDays, supply: undefined, digest: entryDigest(this.settingsDigest), error: err };
    }
  }
}

let digestInput = Buffer.alloc(1024);

/**
 * SHA-256 of settings ‖ grid days ‖ grid probabilities (raw float64 bytes) ‖ `eventId:impact\n` per
 * matched event (UTF-8), hashed in one call over a reused buffer (no Hash object per entry).
 */
function entryDigest(
  settings: Uint8Array,
  lt?: LeadTimeDistribution,
  matches: SupplyLeadTime['matches'] = [],
): Uint8Array {
  let text = '';
  for (const m of matches) text += `${m.eventId}:${m.impactProbability}\n`;
  const grid = lt === undefined ? 0 : lt.days.byteLength + lt.probs.byteLength;
  const need = settings.byteLength + grid + Buffer.byteLength(text);
  if (digestInput.length < need) digestInput = Buffer.alloc(need * 2);
  let at = 0;
  digestInput.set(settings, at);
  at += settings.byteLength;
  if (lt !== undefined) {
    digestInput.set(new Uint8Array(lt.days.buffer, lt.days.byteOffset, lt.days.byteLength), at);
    at += lt.days.byteLength;
    digestInput.set(new Uint8Array(lt.probs.buffer, lt.probs.byteOffset, lt.probs.byteLength), at);
    at += lt.probs.byteLength;
  }
  at += digestInput.write(text, at, 'utf8');
  const d = hash('sha256', digestInput.subarray(0, at), 'binary');
  const out = new Uint8Array(32);
  for (let b = 0; b < 32; b++) out[b] = d.charCodeAt(b);
  return out;
}

const EMPTY_EVENTS = prepareRiskEvents([]);
