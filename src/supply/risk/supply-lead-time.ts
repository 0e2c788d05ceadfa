import {
  compressLeadTime,
  SCORING_LEAD_TIME_POINTS,
  type LeadTimeDistribution,
} from '../leadtime/lead-time-distribution.js';
import {
  estimateSupplierReliability,
  offerLeadTime,
  supplierLeadTime,
  type DeliveryRecord,
  type LeadTimeOffer,
  type ReliabilityPrior,
  type SupplierReliability,
} from '../leadtime/supplier-lead-time.js';
import type { EventDurationModels } from './event-duration-priors.js';
import {
  applyEventMatches,
  applyRiskEvents,
  type EventMatch,
  type PreparedRiskEvents,
  type RiskEvent,
  type SupplyNode,
} from './risk-events.js';
import type { DateInput } from './supply-risk-error.js';

export interface SupplyLeadTimeInput {
  readonly offer: LeadTimeOffer;
  readonly node: SupplyNode;
  /** Either a precomputed reliability (shared per supplier) or the raw delivery history. */
  readonly reliability?: SupplierReliability;
  readonly history?: readonly DeliveryRecord[];
  readonly prior?: ReliabilityPrior;
  /** Raw events, or {@link prepareRiskEvents} output to share validation and indexing across suppliers. */
  readonly events: readonly RiskEvent[] | PreparedRiskEvents;
  readonly now: DateInput;
  readonly models: EventDurationModels;
}

/** The three stages of a replenishment lead time, kept apart so explanations can switch each off. */
export interface SupplyLeadTime {
  readonly offer: LeadTimeDistribution;
  readonly reliability: SupplierReliability;
  /** offer ⊕ supplier delay. */
  readonly supplier: LeadTimeDistribution;
  /** supplier ⊕ matched events, reduced to SCORING_LEAD_TIME_POINTS: what parts are scored against. */
  readonly leadTime: LeadTimeDistribution;
  readonly matches: readonly EventMatch[];
}

/**
 * Builds the event-adjusted lead time of one supplier × offer. Compute once per (supplier, offer)
 * and reuse it for every part that supplier serves: per-part scoring then only mixes demand over it.
 */
export function buildSupplyLeadTime(input: SupplyLeadTimeInput): SupplyLeadTime {
  const offer = offerLeadTime(input.offer);
  const reliability = input.reliability ?? estimateSupplierReliability(input.history ?? [], input.prior);
  const supplier = supplierLeadTime(offer, reliability);
  const { leadTime, matches } = applyRiskEvents(supplier, input.events, input.node, input.now, input.models);
  return { offer, reliability, supplier, leadTime: compressLeadTime(leadTime, SCORING_LEAD_TIME_POINTS), matches };
}

/**
 * The same stages from parts a caller already has: an offer distribution shared by equal quotes and
 * matches shared by every offer of a supplier (when they do not depend on the lead time, see
 * matchesDependOnLeadTime). Gives exactly what {@link buildSupplyLeadTime} gives for those inputs.
 */
export function composeSupplyLeadTime(
  offer: LeadTimeDistribution,
  reliability: SupplierReliability,
  matches: readonly EventMatch[],
): SupplyLeadTime {
  const supplier = supplierLeadTime(offer, reliability);
  const leadTime = matches.length === 0 ? supplier : applyEventMatches(supplier, matches);
  return { offer, reliability, supplier, leadTime: compressLeadTime(leadTime, SCORING_LEAD_TIME_POINTS), matches };
}
