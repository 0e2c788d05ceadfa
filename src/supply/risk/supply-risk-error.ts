import { AppError } from '../../shared/app-error.js';

/** Stable codes for bad input to the supply-risk engine (leadtime/, risk/, policy/). */
export type SupplyRiskErrorCode =
  'SUPPLY_RISK_INVALID_INPUT' | 'SUPPLY_RISK_INVALID_EVENT' | 'SUPPLY_RISK_INVALID_DATE';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return typeof value;
}

/**
 * Bad input to the pure supply-risk math. It is an {@link AppError} (status 400) so the HTTP layer
 * renders it as problem+json naming the field and the rule; the engine never returns NaN scores
 * for NaN inputs, it refuses them here instead.
 */
export class SupplyRiskError extends AppError {
  readonly field: string;
  readonly rule: string;

  constructor(code: SupplyRiskErrorCode, field: string, rule: string, value?: unknown) {
    super(code, 400, `${field}: ${rule}${value === undefined ? '' : ` (got ${show(value)})`}`, {
      details: { field, rule },
    });
    this.name = 'SupplyRiskError';
    this.field = field;
    this.rule = rule;
  }
}

/** Throws unless `value` is a finite number ≥ `min` (default 0). */
export function requireFinite(field: string, value: number, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', field, 'must be a finite number', value);
  }
  if (value < min) throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', field, `must be ≥ ${min}`, value);
  return value;
}

/** Throws unless `value` is a finite probability in [0, 1]. */
export function requireProbability(field: string, value: number): number {
  requireFinite(field, value, 0);
  if (value > 1)
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', field, 'must be a probability in [0, 1]', value);
  return value;
}

const MS_PER_DAY = 86_400_000;

/** A point in time as the engine accepts it: a Date, an ISO-8601 string, or epoch milliseconds. */
export type DateInput = Date | string | number;

/**
 * Converts a {@link DateInput} to fractional epoch days (UTC). Pure: parses the value, never reads
 * the clock. Invalid dates throw rather than turn into NaN windows.
 */
export function toEpochDays(field: string, value: DateInput): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_DATE', field, 'must be a valid date', value);
  return ms / MS_PER_DAY;
}
