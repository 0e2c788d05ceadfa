import { leadTimeFromMeanSpread, type LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';

/** Kinds of external risk event the engine knows how to turn into lead-time delay. */
export const RISK_EVENT_TYPES = [
  'port_disruption',
  'strike',
  'weather',
  'geopolitical',
  'supplier_failure',
  'cyber',
  'other',
] as const;
export type RiskEventType = (typeof RISK_EVENT_TYPES)[number];

/** How long an event of a type delays a shipment it catches, with where that belief comes from. */
export interface EventDurationModel {
  readonly duration: LeadTimeDistribution;
  readonly source: string;
  /** True when the numbers are a judgement anchored on cited episodes rather than a fit to data. */
  readonly judgement: boolean;
}

export type EventDurationModels = Readonly<Record<RiskEventType, EventDurationModel>>;

interface PriorRow {
  readonly meanDays: number;
  readonly sdDays: number;
  readonly source: string;
  readonly judgement: boolean;
}

/**
 * Default delay priors (lognormal, days added to a lead time caught by the event). Every row except
 * `weather` is a judgement; the episodes named are anchors for the order of magnitude, not a sample.
 * `weather` is replaced by the CyPort empirical distribution when the caller builds it
 * (`weatherDurationFromCyport`); the row here is the fallback when no data are supplied.
 * Tenants override any row through {@link eventDurationModels}.
 */
export const EVENT_DELAY_PRIORS: Readonly<Record<RiskEventType, PriorRow>> = Object.freeze({
  port_disruption: {
    meanDays: 10,
    sdDays: 10,
    source:
      'Judgement. Anchors: Suez Canal blocked by Ever Given 23–29 Mar 2021 (6 days, backlog cleared days later); Yantian (Shenzhen) partial closure May–Jun 2021 (~4 weeks of reduced throughput).',
    judgement: true,
  },
  strike: {
    meanDays: 20,
    sdDays: 20,
    source:
      'Judgement. Anchors: US East/Gulf Coast ILA port strike 1–3 Oct 2024 (3 days); US West Coast port lockout 2002 (11 days); Boeing IAM machinists strike 13 Sep–4 Nov 2024 (~53 days).',
    judgement: true,
  },
  weather: {
    meanDays: 3,
    sdDays: 3,
    source:
      'Fallback only. Replace with weatherDurationFromCyport(CyPort rows): 1,927 US port × tropical cyclone interactions 2015–2023, window 1–9 days plus 0–11 recovery days (ChenchenMobility/CYPORT, CC BY 4.0).',
    judgement: true,
  },
  geopolitical: {
    meanDays: 14,
    sdDays: 7,
    source:
      'Judgement. Models a reroute penalty rather than the event length. Anchor: Red Sea diversions via the Cape of Good Hope since Dec 2023 add roughly 10–14 days Asia–Europe (widely reported by carriers).',
    judgement: true,
  },
  supplier_failure: {
    meanDays: 60,
    sdDays: 45,
    source:
      'Judgement. Time to requalify or switch to an alternate approved source for an aviation part (approved-source and first-article rules make this weeks to months).',
    judgement: true,
  },
  cyber: {
    meanDays: 10,
    sdDays: 8,
    source: 'Judgement. Anchor: Maersk NotPetya, Jun 2017 — about 10 days to restore core systems.',
    judgement: true,
  },
  other: {
    meanDays: 7,
    sdDays: 7,
    source: 'Judgement. Deliberately generic; classify events to use a better row.',
    judgement: true,
  },
});

/**
 * The duration models to use, built once per scoring run: the priors table, with `weather` taken
 * from CyPort data when given, and any row overridden by the tenant.
 */
export function eventDurationModels(
  options: {
    weather?: LeadTimeDistribution;
    overrides?: Partial<Record<RiskEventType, EventDurationModel>>;
  } = {},
): EventDurationModels {
  const out = {} as Record<RiskEventType, EventDurationModel>;
  for (const type of RISK_EVENT_TYPES) {
    const row = EVENT_DELAY_PRIORS[type];
    out[type] = {
      duration: leadTimeFromMeanSpread(row.meanDays, row.sdDays),
      source: row.source,
      judgement: row.judgement,
    };
  }
  if (options.weather) {
    out.weather = {
      duration: options.weather,
      source:
        'Empirical: CyPort tropical-cyclone port disruptions (window + recovery days), ChenchenMobility/CYPORT, CC BY 4.0.',
      judgement: false,
    };
  }
  return Object.freeze({ ...out, ...options.overrides });
}
