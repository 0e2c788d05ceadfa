/**
 * Seeded CSV flight-data writer for tests and the fuzzer: a time column, `topic.field` signals, a
 * quoted free-text column with commas, quotes and newlines, optional BOM and CRLF, sparse empty cells.
 */
import { Prng } from '../fuzz/prng.js';

export interface CsvGenerateOptions {
  readonly seed: number;
  readonly rows?: number;
  readonly crlf?: boolean;
  readonly bom?: boolean;
  /** Header of the time column and how values are written. Default `timestamp_us` in µs. */
  readonly time?: { readonly header: string; readonly unit: 's' | 'ms' | 'us' };
}

export interface GeneratedCsv {
  readonly bytes: Uint8Array;
  /** Time of every row in seconds. */
  readonly times: readonly number[];
  /** `topic.field` → values per row (NaN where the cell was left empty). */
  readonly signals: ReadonlyMap<string, readonly number[]>;
  readonly notes: readonly string[];
}

const SIGNALS = [
  'attitude.roll',
  'attitude.pitch',
  'battery.voltage',
  'battery.current',
  'gps.lat',
  'gps.lon',
];
const NOTES = ['ok', 'gusty, "strong" wind', 'line one\nline two', 'motor 3, hot', ''];

export function generateCsv(options: CsvGenerateOptions): GeneratedCsv {
  const rng = new Prng(options.seed);
  const rows = options.rows ?? 200;
  const time = options.time ?? { header: 'timestamp_us', unit: 'us' };
  const eol = options.crlf ? '\r\n' : '\n';
  const scale = { s: 1, ms: 1e3, us: 1e6 }[time.unit];
  const signals = new Map<string, number[]>(SIGNALS.map((s) => [s, []]));
  const times: number[] = [];
  const notes: string[] = [];
  const lines = [[time.header, ...SIGNALS, 'note'].join(',')];
  let t = 1000 + rng.int(1000);
  for (let i = 0; i < rows; i++) {
    t += 10 + rng.int(20);
    const timeS = t / 1000;
    times.push(timeS);
    const cells = [String(Math.round(timeS * scale * 1000) / 1000)];
    for (const name of SIGNALS) {
      const empty = rng.chance(0.05);
      const value = empty ? NaN : Math.round((rng.next() - 0.5) * 2e6) / 1000;
      signals.get(name)!.push(value);
      cells.push(empty ? '' : String(value));
    }
    const note = rng.pick(NOTES);
    notes.push(note);
    cells.push(/[",\n]/.test(note) ? `"${note.replace(/"/g, '""')}"` : note);
    lines.push(cells.join(','));
  }
  const text = (options.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
  return { bytes: new TextEncoder().encode(text), times, signals, notes };
}
