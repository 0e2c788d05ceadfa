import { parseSeriesCsv } from '../backtest/series-csv.js';
import { badRequest } from '../../shared/app-error.js';
import type { RafSeries } from './demand-profile.model.js';

const REQUIRED = ['description', 'lead_time_months', 'unit_price_gbp'] as const;

/**
 * Reads the RAF demand CSV (`item_id, description, lead_time_months, unit_price_gbp, 1996-01 …`;
 * ../shared/mrodata/SOURCES.md) into series for resampling. The caller reads the file: the engine
 * does no I/O. Rows with a non-numeric lead time or price are refused, naming the item.
 */
export function parseRafSeries(text: string): RafSeries[] {
  const set = parseSeriesCsv(text, { missing: 'zero' });
  for (const column of REQUIRED) {
    if (!set.attributeColumns.includes(column)) {
      throw badRequest('RAF_CSV_MISSING_COLUMN', `the RAF file has no ${column} column`, { field: column, rule: 'required' });
    }
  }
  return set.series.map((s) => {
    const leadTimeMonths = Number(s.attributes.lead_time_months);
    const unitPriceGbp = Number(s.attributes.unit_price_gbp);
    if (!Number.isFinite(leadTimeMonths) || leadTimeMonths < 0 || !Number.isFinite(unitPriceGbp) || unitPriceGbp < 0) {
      throw badRequest('RAF_CSV_BAD_VALUE', `RAF item ${s.id}: lead_time_months and unit_price_gbp must be non-negative numbers`, { field: 'lead_time_months', rule: 'number', item: s.id });
    }
    return { id: s.id, description: s.attributes.description ?? '', leadTimeMonths, unitPriceGbp, values: s.values };
  });
}
