import { leadTimeFromPoints, type LeadTimeDistribution } from '../leadtime/lead-time-distribution.js';
import { SupplyRiskError } from './supply-risk-error.js';

/**
 * One CyPort row (ChenchenMobility/CYPORT, `interaction_full.csv`, CC BY 4.0): a tropical cyclone's
 * interaction with one US port. Dates are UTC epoch days. `endRecoveryDay` is undefined where the
 * upstream column holds `0` (no measurable recovery phase: the port never dipped enough to recover).
 */
export interface CyportRecord {
  readonly stormId: string;
  readonly portId: string;
  readonly port: string;
  readonly startDay: number;
  readonly endDay: number;
  readonly dayOfRecover: number;
  readonly endRecoveryDay: number | undefined;
}

/** A row the parser refused, kept with its reason (nothing is silently dropped). */
export interface CyportReject {
  readonly line: number;
  readonly reason: string;
}

export interface CyportParseResult {
  readonly records: CyportRecord[];
  readonly rejects: CyportReject[];
}

/** RFC 4180 field splitting for one line (quoted fields may contain commas and doubled quotes). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;

/** Parses CyPort's `M/D/YYYY` (optionally followed by `H:MM`) to UTC epoch days; undefined if not a date. */
export function parseCyportDate(text: string): number | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const year = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return ms / 86_400_000;
}

const REQUIRED = [
  'SID',
  'PORT_ID',
  'port',
  'start_date',
  'end_date',
  'day_of_recover',
  'end_recovery_date',
] as const;

/**
 * Parses the CyPort CSV text (UTF-8, optional BOM, LF or CRLF). Pure: the caller reads the file.
 * Throws {@link SupplyRiskError} only if the header lacks a required column; bad rows go to `rejects`.
 */
export function parseCyportCsv(text: string): CyportParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  for (const name of REQUIRED) {
    if (!col.has(name))
      throw new SupplyRiskError(
        'SUPPLY_RISK_INVALID_INPUT',
        `cyport.header.${name}`,
        'required column is missing',
      );
  }
  const idx = (name: (typeof REQUIRED)[number]): number => col.get(name)!;
  const records: CyportRecord[] = [];
  const rejects: CyportReject[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const f = splitCsvLine(line);
    const get = (name: (typeof REQUIRED)[number]): string => (f[idx(name)] ?? '').trim();
    const startDay = parseCyportDate(get('start_date'));
    const endDay = parseCyportDate(get('end_date'));
    const recoverText = get('day_of_recover');
    const dayOfRecover = Number(recoverText);
    const endRecText = get('end_recovery_date');
    const endRecoveryDay = endRecText === '0' || endRecText === '' ? undefined : parseCyportDate(endRecText);
    let reason: string | undefined;
    if (startDay === undefined) reason = `start_date is not M/D/YYYY: "${get('start_date')}"`;
    else if (endDay === undefined) reason = `end_date is not M/D/YYYY: "${get('end_date')}"`;
    else if (endDay < startDay) reason = 'end_date is before start_date';
    else if (recoverText === '' || !Number.isInteger(dayOfRecover) || dayOfRecover < 0)
      reason = `day_of_recover is not a non-negative integer: "${recoverText}"`;
    else if (endRecoveryDay === undefined && endRecText !== '0' && endRecText !== '')
      reason = `end_recovery_date is not a date or 0: "${endRecText}"`;
    if (reason !== undefined) {
      rejects.push({ line: li + 1, reason });
      continue;
    }
    records.push({
      stormId: get('SID'),
      portId: get('PORT_ID'),
      port: get('port'),
      startDay: startDay!,
      endDay: endDay!,
      dayOfRecover,
      endRecoveryDay,
    });
  }
  return { records, rejects };
}

/**
 * What counts as the disruption a shipment waits out:
 * - `window_and_recovery` (default): calendar days of the cyclone–port interaction window, inclusive
 *   (`end_date − start_date + 1`), plus `day_of_recover`. A shipment due through the port during the
 *   window waits for the window and the recovery tail.
 * - `recovery_only`: `day_of_recover` alone (the port is back to normal activity after it).
 */
export type CyportDurationMode = 'window_and_recovery' | 'recovery_only';

/**
 * The empirical duration distribution (days) of weather port disruptions from CyPort records,
 * reduced to `maxPoints`. Each (storm, port) row is one observation; the data are US ports and
 * tropical cyclones only, so for other weather and regions this is a stated proxy, not a fit.
 */
export function weatherDurationFromCyport(
  records: readonly CyportRecord[],
  mode: CyportDurationMode = 'window_and_recovery',
  maxPoints = 8,
): LeadTimeDistribution {
  if (records.length === 0)
    throw new SupplyRiskError('SUPPLY_RISK_INVALID_INPUT', 'cyport.records', 'needs at least one record');
  const counts = new Map<number, number>();
  for (const r of records) {
    const d =
      mode === 'recovery_only' ? r.dayOfRecover : Math.round(r.endDay - r.startDay) + 1 + r.dayOfRecover;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return leadTimeFromPoints([...counts.keys()], [...counts.values()], maxPoints);
}
