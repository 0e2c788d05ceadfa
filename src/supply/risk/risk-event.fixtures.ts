/** Suppliers and risk events shared by the event-impact tests: two German suppliers, three active events. */
import type { RiskEvent, SupplyNode } from './risk-events.js';

export const NOW = Date.UTC(2025, 2, 1);
export const DAY = 86_400_000;
export const hamburg: SupplyNode = { supplierId: 'SUP-7', country: 'DE', region: 'EU', ports: ['DEHAM'] };
export const munich: SupplyNode = { supplierId: 'SUP-8', country: 'DE', region: 'EU', ports: ['DEMUC'] };
export const ev = (over: Partial<RiskEvent> & { id: string }): RiskEvent => ({ type: 'strike', start: NOW - 3 * DAY, severity: 0.6, ...over });
/** A national rail strike (both suppliers), a Hamburg port disruption, an EU export restriction. */
export const ACTIVE_EVENTS: RiskEvent[] = [
  ev({ id: 'RAIL', countries: ['DE'] }),
  ev({ id: 'PORT', type: 'port_disruption', ports: ['DEHAM'], severity: 0.4 }),
  ev({ id: 'EXPORT', type: 'geopolitical', regions: ['EU'], severity: 0.3, start: NOW - 40 * DAY }),
];
