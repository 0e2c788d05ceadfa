import type { DemandRow, LocationRow, PartRow, RowIssue, ValidRow } from './import-types.js';
import type { ImportPlan, Mapped } from './import-plan.js';
import { joinKey } from './catalog.schemas.js';
import { LEAD_TIME_UNIT_DAYS, round4 } from './entity-schema.js';
import { parseField } from './field.rules.js';
import { ImportFileError } from './reader-limits.js';

/**
 * The RAF consumable-spares file (../shared/mrodata/raf_spares_monthly_demand.csv; danieldehaan96/spdf,
 * Teunter & Duncan 2009): one row per item with `item_id, description, lead_time_months,
 * unit_price_gbp` and one column per month `YYYY-MM` of demand. Each row becomes:
 * - a part `RAF-<item_id>` (description, unit cost in GBP, lead time months → days at 365.2425/12
 *   days a month, external_ref = item_id). Criticality, category and aircraft types are not in the
 *   file: they are left as stored (non_essential on first import);
 * - one demand row per month at location `RAF` (the file is RAF-wide, not per station), zeros
 *   included: for intermittent demand a zero month is data, not a gap.
 * The location `RAF` is created by the import's setup step.
 */
export const RAF_LOCATION: LocationRow = Object.freeze({
  code: 'RAF', name: 'RAF consolidated demand (all stations)', kind: 'warehouse', country: 'GB', region: null, iataCode: null, latitude: null, longitude: null,
});

const FIXED = ['item_id', 'description', 'lead_time_months', 'unit_price_gbp'] as const;
const MONTH_COLUMN = /^(\d{4})-(\d{2})$/;
const PART_FIELDS: ReadonlySet<string> = new Set(['part_number', 'description', 'unit_cost', 'currency', 'lead_time', 'lead_time_unit', 'external_ref']);
const DEMAND_FIELDS: ReadonlySet<string> = new Set(['part_number', 'location_code', 'period', 'quantity']);

export function rafPlan(): ImportPlan {
  let months: { column: string; period: string }[] = [];
  return {
    type: 'raf',
    entities: ['parts', 'demand'],
    setupRows: [{ entity: 'locations', row: RAF_LOCATION }],
    checkHeader(columns) {
      const missing = FIXED.filter((c) => !columns.includes(c));
      if (missing.length > 0) throw new ImportFileError(`not the RAF layout: missing column(s) ${missing.join(', ')}`, 'header');
      const other = columns.filter((c) => !(FIXED as readonly string[]).includes(c));
      const bad = other.filter((c) => !MONTH_COLUMN.test(c) || parseField({ kind: 'month' }, c).ok === false);
      if (bad.length > 0) throw new ImportFileError(`not the RAF layout: column(s) ${bad.slice(0, 5).join(', ')} are not months YYYY-MM`, 'header');
      if (other.length === 0) throw new ImportFileError('not the RAF layout: no month columns', 'header');
      months = other.map((c) => ({ column: c, period: `${c}-01` }));
    },
    map(record): Mapped {
      if (record.error) return { issues: [record.error] };
      if (record.values === null) return { issues: [{ column: null, reason: 'empty record' }] };
      const v = record.values;
      const issues: RowIssue[] = [];
      const field = <T>(column: string, type: Parameters<typeof parseField>[0], required = true): T | null => {
        const raw = v[column];
        if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
          if (required) issues.push({ column, reason: 'is required' });
          return null;
        }
        const r = parseField(type, raw);
        if (!r.ok) {
          issues.push({ column, reason: r.reason });
          return null;
        }
        return r.value as T;
      };
      const itemId = field<number>('item_id', { kind: 'int', min: 1, max: 1e9 });
      const description = field<string>('description', { kind: 'text', max: 500 }, false);
      const leadMonths = field<number>('lead_time_months', { kind: 'int', min: 0, max: 120 });
      const price = field<number>('unit_price_gbp', { kind: 'number', min: 0, max: 1e10 });
      const quantities = months.map((m) => field<number>(m.column, { kind: 'int', min: 0, max: 1e9 }));
      if (issues.length > 0) return { issues };
      const partNumber = `RAF-${itemId}`;
      const part: PartRow = {
        partNumber, description: description ?? '', category: null, criticality: 'non_essential', unitOfMeasure: 'EA', unitCost: price,
        currency: 'GBP', aogCost: null, aogCostUnit: null, aogCostSource: null,
        leadTimeDays: round4(leadMonths! * LEAD_TIME_UNIT_DAYS.months!), externalRef: String(itemId), aircraftTypes: [],
      };
      const rows: { valid: ValidRow; key: string }[] = [{ valid: { entity: 'parts', row: part, present: PART_FIELDS }, key: partNumber }];
      months.forEach((m, i) => {
        const d: DemandRow = { partNumber, locationCode: RAF_LOCATION.code, period: m.period, quantity: quantities[i]!, returns: 0, adjustments: 0 };
        rows.push({ valid: { entity: 'demand', row: d, present: DEMAND_FIELDS }, key: joinKey(partNumber, d.locationCode, d.period) });
      });
      return { rows };
    },
  };
}
