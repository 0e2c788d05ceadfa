import type { RiskEventRow, RowIssue } from './import-types.js';
import type { ImportPlan, Mapped } from './import-plan.js';
import { joinKey } from './catalog.schemas.js';
import { parseCyportDate } from '../risk/cyport.js';
import { ImportFileError } from './reader-limits.js';

/**
 * CyPort (ChenchenMobility/CYPORT `interaction_full.csv`, CC BY 4.0): one row per (tropical
 * cyclone, US port) interaction. Each row becomes one `weather` risk event:
 * - source `cyport`, source_id `<SID>:<PORT_ID>` (unique per storm × port);
 * - starts_at = start_date; expected_end_at = actual_end_at = start_date + (end_date − start_date + 1)
 *   + day_of_recover days: the window the risk model's `window_and_recovery` duration uses
 *   (src/supply/risk/cyport.ts), so the stored event and the fitted weather prior agree;
 * - severity = max_impact, the peak share of normal vessel activity lost (0..1 in the file);
 * - countries [US], regions [US-<state>] from the port name's ", XX" suffix, ports [port name];
 * - details keep storm id, port id, impacts, recovery, hazard (wind, surge, rain) verbatim.
 * Dates use the risk engine's own CyPort date parser (M/D/YYYY, optional time ignored).
 */
const REQUIRED = ['SID', 'PORT_ID', 'port', 'start_date', 'end_date', 'day_of_recover', 'max_impact'] as const;
const DETAIL_NUMBERS = ['total_impact', 'total_impact_value', 'Wind_speed', 'Surge_height', 'Rainfall'] as const;
const FIELDS: ReadonlySet<string> = new Set([
  'source', 'source_id', 'type', 'title', 'description', 'countries', 'regions', 'ports', 'starts_at', 'expected_end_at', 'actual_end_at', 'severity', 'probability', 'details',
]);
const DAY_MS = 86_400_000;
const US_STATE = /,\s*([A-Z]{2})\s*$/;

export function cyportPlan(): ImportPlan {
  return {
    type: 'cyport',
    entities: ['risk_events'],
    setupRows: [],
    checkHeader(columns) {
      const missing = REQUIRED.filter((c) => !columns.includes(c));
      if (missing.length > 0) throw new ImportFileError(`not the CyPort layout: missing column(s) ${missing.join(', ')}`, 'header');
    },
    map(record): Mapped {
      if (record.error) return { issues: [record.error] };
      const v = record.values ?? {};
      const get = (c: string): string => (typeof v[c] === 'string' ? (v[c]).trim() : '');
      const issues: RowIssue[] = [];
      const sid = get('SID');
      const portId = get('PORT_ID');
      const port = get('port');
      if (!/^[0-9A-Z]{1,32}$/.test(sid)) issues.push({ column: 'SID', reason: `is not an IBTrACS storm id (got ${JSON.stringify(sid.slice(0, 40))})` });
      if (!/^\d{1,9}$/.test(portId)) issues.push({ column: 'PORT_ID', reason: 'is not a port number' });
      if (port === '' || port.length > 64) issues.push({ column: 'port', reason: 'must be a port name of 1 to 64 characters' });
      const start = parseCyportDate(get('start_date'));
      const end = parseCyportDate(get('end_date'));
      if (start === undefined) issues.push({ column: 'start_date', reason: `is not M/D/YYYY (got ${JSON.stringify(get('start_date').slice(0, 40))})` });
      if (end === undefined) issues.push({ column: 'end_date', reason: `is not M/D/YYYY (got ${JSON.stringify(get('end_date').slice(0, 40))})` });
      if (start !== undefined && end !== undefined && end < start) issues.push({ column: 'end_date', reason: 'is before start_date' });
      const recover = Number(get('day_of_recover'));
      if (get('day_of_recover') === '' || !Number.isInteger(recover) || recover < 0 || recover > 366) {
        issues.push({ column: 'day_of_recover', reason: 'must be a whole number of days from 0 to 366' });
      }
      const maxImpact = Number(get('max_impact'));
      if (get('max_impact') === '' || !Number.isFinite(maxImpact) || maxImpact < 0 || maxImpact > 1) {
        issues.push({ column: 'max_impact', reason: 'must be a share from 0 to 1' });
      }
      if (issues.length > 0) return { issues };
      const startMs = start! * DAY_MS;
      const endMs = startMs + (end! - start! + 1 + recover) * DAY_MS;
      const state = US_STATE.exec(port)?.[1];
      const details: Record<string, unknown> = {
        stormId: sid, portId, port, startDate: get('start_date'), endDate: get('end_date'), dayOfRecover: recover, maxImpact,
        maxImpactDate: get('max_impact_date') || null, endRecoveryDate: get('end_recovery_date') || null,
      };
      for (const c of DETAIL_NUMBERS) {
        const n = Number(get(c));
        if (get(c) !== '' && Number.isFinite(n)) details[c] = n;
      }
      const row: RiskEventRow = {
        source: 'cyport', sourceId: `${sid}:${portId}`, type: 'weather', title: `Tropical cyclone ${sid} at ${port}`,
        description: 'Port disruption by a tropical cyclone (CyPort, ChenchenMobility/CYPORT, CC BY 4.0)',
        countries: ['US'], regions: state ? [`US-${state}`] : [], ports: [port.toUpperCase()], supplierCodes: [],
        startsAt: new Date(startMs).toISOString(), expectedEndAt: new Date(endMs).toISOString(), actualEndAt: new Date(endMs).toISOString(),
        severity: maxImpact, probability: 1, details,
      };
      return { rows: [{ valid: { entity: 'risk_events', row, present: FIELDS }, key: joinKey(row.source, row.sourceId) }] };
    },
  };
}
