import {
  bernoulliDelay,
  convolveLeadTimes,
  type LeadTimeDistribution,
} from '../leadtime/lead-time-distribution.js';
import type { EventMatch } from './risk-events.js';

/**
 * Adds matched events to a lead time: L' = L + Σ Bᵢ·Rᵢ with independent Bᵢ ~ Bernoulli(qᵢ) and
 * delays Rᵢ. Independence between events is an assumption (a strike and a cyclone at one port can
 * overlap rather than add, which this overstates — the conservative side).
 *
 * Sums are associative, so the active events are added up first, into one combined delay
 * ({@link combinedActiveImpact}), and that is convolved into the lead time once. An active event's
 * impact does not depend on the lead time, so every offer of a supplier — and every supplier with the
 * same active events — shares the combined delay: one convolution per lead time instead of one per
 * (lead time, event). Announced events (their q depends on the lead time) are added one by one after.
 * Every step is reduced to MAX_LEAD_TIME_POINTS, mean-exact.
 */
export function applyEventMatches(
  base: LeadTimeDistribution,
  matches: readonly EventMatch[],
): LeadTimeDistribution {
  const active = combinedActiveImpact(matches);
  let lt = active === undefined ? base : convolveLeadTimes(base, active);
  for (const m of matches) if (m.status !== 'active') lt = convolveLeadTimes(lt, bernoulliDelay(m.impactProbability, m.delay));
  return lt;
}

/** A prefix of active-event impacts, and the sums of its extensions by one more impact. */
interface CombinedNode {
  readonly sum: LeadTimeDistribution;
  next: WeakMap<LeadTimeDistribution, CombinedNode> | undefined;
}

// Bernoulli(q) × delay per delay distribution and q: an active event has one q for every supplier it
// touches, so its mixture is built once per run, not once per (supplier, offer). Delay distributions
// come from the run's PreparedRiskEvents, so these caches (weakly keyed) live as long as the run.
const impactCache = new WeakMap<LeadTimeDistribution, Map<number, LeadTimeDistribution>>();
// Sums of sequences of impacts as a trie keyed by impact objects: suppliers with the same active
// events (in the same order — matches come in event order) share every prefix's sum.
const combinedRoots = new WeakMap<LeadTimeDistribution, CombinedNode>();

function activeImpact(m: EventMatch): LeadTimeDistribution {
  let byQ = impactCache.get(m.delay);
  if (byQ === undefined) {
    byQ = new Map();
    impactCache.set(m.delay, byQ);
  }
  let d = byQ.get(m.impactProbability);
  if (d === undefined) {
    d = bernoulliDelay(m.impactProbability, m.delay);
    byQ.set(m.impactProbability, d);
  }
  return d;
}

/**
 * The sum of the active events' delays (Σ Bᵢ·Rᵢ over the active matches, in match order), or
 * undefined when none is active. The same object for equal sequences of events within a run.
 */
export function combinedActiveImpact(matches: readonly EventMatch[]): LeadTimeDistribution | undefined {
  let node: CombinedNode | undefined;
  for (const m of matches) {
    if (m.status !== 'active') continue;
    const impact = activeImpact(m);
    if (node === undefined) {
      node = combinedRoots.get(impact);
      if (node === undefined) {
        node = { sum: impact, next: undefined };
        combinedRoots.set(impact, node);
      }
      continue;
    }
    node.next ??= new WeakMap();
    let child = node.next.get(impact);
    if (child === undefined) {
      child = { sum: convolveLeadTimes(node.sum, impact), next: undefined };
      node.next.set(impact, child);
    }
    node = child;
  }
  return node?.sum;
}
