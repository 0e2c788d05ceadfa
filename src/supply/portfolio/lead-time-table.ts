import { hash } from 'node:crypto';
import type { LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import {
  DEFAULT_RELIABILITY_PRIOR,
  estimateSupplierReliability,
  type DeliveryRecord,
  type ReliabilityPrior,
  offerLeadTime,
  supplierLeadTime,
  type SupplierReliability,
} from '../leadtime/supplier-lead-time.js';
import type { EventDurationModels } from '../risk/event-duration-priors.js';
import {
  matchesDependOnLeadTime,
  matchRiskEvents,
  prepareRiskEvents,
  validateRiskEvent,
  type EventMatch,
  type PreparedRiskEvents,
  type RiskEvent,
} from '../risk/risk-events.js';
import { composeSupplyLeadTime, type SupplyLeadTime } from '../risk/supply-lead-time.js';
import { SupplyRiskError } from '../risk/supply-risk-error.js';
import type { PortfolioSuppliers } from './portfolio-input.js';

const MS_PER_DAY = 86_400_000;

/**
 * Offers are quantised before their lead time is built, so a supplier quoting 42.0 and 42.2 days
 * shares one distribution instead of building two. Means up to 50 days go to the nearest half day,
 * longer ones to 1 % steps; the spread to steps of 5 % of the mean (capped at 5 × the mean). The error
 * (≤ 0.5 % of the mean, ≤ 2.5 % of it on the sd) is far inside the uncertainty of any quote.
 */
export function quantizeOffer(meanDays: number, sdDays: number): QuantizedOffer {
  const mb = meanBin(meanDays);
  const mean = binMean(mb);
  const sb = spreadBin(sdDays, mean);
  return { mean, sd: sb * 0.05 * Math.max(mean, 0.5), key: mb * 128 + sb };
}

/** A quantised quote; `key` identifies its (mean, spread) bin pair. */
export interface QuantizedOffer {
  readonly mean: number;
  readonly sd: number;
  readonly key: number;
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
  /** Quoted lead times by quantised offer key (a number: a string key per entry cost 0.6 s of a 500k run). */
  private readonly offers = new Map<number, LeadTimeDistribution>();
  /** Per supplier: its matches shared by all its offers, or null when they depend on the lead time. */
  private readonly matchesBySupplier = new Map<number, SharedMatches | null>();

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
      e = this.build(s, q);
      offers.set(key, e);
      this.count++;
    }
    return e;
  }

  private build(s: number, q: QuantizedOffer): LeadTimeEntry {
    const meanDays = q.mean;
    const sdDays = q.sd;
    try {
      const offer = this.offerOf(q);
      const reliability = this.reliabilityOf(s);
      let supply: SupplyLeadTime;
      let text: string;
      if (s < 0) {
        supply = composeSupplyLeadTime(offer, reliability, []);
        text = '';
      } else {
        const shared = this.sharedMatchesOf(s, offer);
        if (shared !== undefined) {
          supply = composeSupplyLeadTime(offer, reliability, shared.matches);
          text = shared.text;
        } else {
          const matches = matchRiskEvents(this.events, this.suppliers.nodes[s]!, this.now, supplierLeadTime(offer, reliability), this.models);
          supply = composeSupplyLeadTime(offer, reliability, matches);
          text = matchesText(matches);
        }
      }
      const digest = entryDigest(this.settingsDigest, supply.leadTime, text);
      return { supplier: s, meanDays, sdDays, supply, digest, error: undefined };
    } catch (err) {
      if (!(err instanceof SupplyRiskError)) throw err;
      return { supplier: s, meanDays, sdDays, supply: undefined, digest: entryDigest(this.settingsDigest), error: err };
    }
  }

  /** The quoted lead time, built once per quantised quote (it depends on nothing else). */
  private offerOf(q: QuantizedOffer): LeadTimeDistribution {
    let offer = this.offers.get(q.key);
    if (offer === undefined) {
      offer = offerLeadTime({ meanDays: q.mean, sdDays: q.sd });
      this.offers.set(q.key, offer);
    }
    return offer;
  }

  /**
   * The supplier's matched events when they are the same for every offer (no announced event among
   * its candidates), matched once with their digest text; undefined when each offer must match.
   */
  private sharedMatchesOf(s: number, offer: LeadTimeDistribution): SharedMatches | undefined {
    let shared = this.matchesBySupplier.get(s);
    if (shared === undefined) {
      const node = this.suppliers.nodes[s]!;
      if (matchesDependOnLeadTime(this.events, node, this.now)) shared = null;
      else {
        const matches = matchRiskEvents(this.events, node, this.now, supplierLeadTime(offer, this.reliabilityOf(s)), this.models);
        shared = { matches, text: matchesText(matches) };
      }
      this.matchesBySupplier.set(s, shared);
    }
    return shared ?? undefined;
  }
}

interface SharedMatches {
  readonly matches: readonly EventMatch[];
  readonly text: string;
}

/** `eventId:impact\n` per matched event: the events' part of an entry digest. */
function matchesText(matches: readonly EventMatch[]): string {
  let text = '';
  for (const m of matches) text += `${m.eventId}:${m.impactProbability}\n`;
  return text;
}

let digestInput = Buffer.alloc(1024);

/**
 * SHA-256 of settings ‖ grid days ‖ grid probabilities (raw float64 bytes) ‖ `eventId:impact\n` per
 * matched event (UTF-8, {@link matchesText}), hashed in one call over a reused buffer (no Hash object per entry).
 */
function entryDigest(settings: Uint8Array, lt?: LeadTimeDistribution, text = ''): Uint8Array {
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

