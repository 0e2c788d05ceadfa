/**
 * Seed inputs for the fuzzer: small slices of the real shared logs (the head with all definitions,
 * and the head spliced to windows from the middle and the end, so data records and resynchronisation
 * are exercised) and generated tlog and CSV files. Small inputs keep a case at a few milliseconds.
 */
import { readFileSync } from 'node:fs';
import { sharedFile } from '../../../../test/support/shared-data.js';
import { generateCsv } from '../csv/csv-sample.generator.js';
import type { LogFormat } from '../decoded-log.js';
import { generateTlog } from '../tlog/tlog-generator.js';

export interface CorpusEntry {
  readonly name: string;
  readonly format: LogFormat;
  readonly bytes: Uint8Array;
}

export const REAL_LOGS: ReadonlyArray<readonly [string, LogFormat]> = [
  ['px4_pyulog_sample_quad_bench.ulg', 'ulog'],
  ['px4_pyulog_sample_log_small_vtol.ulg', 'ulog'],
  ['px4_quadrotor_local_lowbatt_failsafe.ulg', 'ulog'],
  ['px4_esc_status_log_mission_rtl.ulg', 'ulog'],
  ['px4_roboto_test_quad_short.ulg', 'ulog'],
  ['ardupilot_plane_truncated_64k.BIN', 'dataflash'],
  ['ardupilot_plane_erle_05_12_2014_E.BIN', 'dataflash'],
  ['ardupilot_rover_erle_61.BIN', 'dataflash'],
  ['ardupilot_copter_erle_181_lose_control_crash.BIN', 'dataflash'],
  ['ardupilot_copter_erle_GPS_issues1.BIN', 'dataflash'],
  ['ardupilot_copter_4.1.3_good_prop_hover_1.BIN', 'dataflash'],
  ['ardupilot_copter_4.1.3_25mm_cut_prop_hover_1.BIN', 'dataflash'],
];

const KiB = 1024;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface Corpus {
  readonly entries: readonly CorpusEntry[];
  /** Shared logs that were not found (a user's clone): the corpus is generated data only. */
  readonly missing: readonly string[];
}

export function buildCorpus(): Corpus {
  const entries: CorpusEntry[] = [];
  const missing: string[] = [];
  for (const [name, format] of REAL_LOGS) {
    const path = sharedFile(`flightlogs/${name}`);
    if (!path) {
      missing.push(name);
      continue;
    }
    const file = new Uint8Array(readFileSync(path));
    const head = file.subarray(0, 64 * KiB);
    entries.push({ name: `${name}[0,24K)`, format, bytes: file.slice(0, 24 * KiB) });
    entries.push({ name: `${name}[0,64K)`, format, bytes: head.slice() });
    for (const at of [0.4, 0.9]) {
      const from = Math.floor(file.length * at);
      if (from <= head.length) continue;
      const window = file.subarray(from, from + 16 * KiB);
      entries.push({ name: `${name}[0,64K)+[${from},+16K)`, format, bytes: concat(head, window) });
    }
  }
  for (const seed of [1, 2, 3]) {
    entries.push({
      name: `generated tlog seed ${seed}`,
      format: 'tlog',
      bytes: generateTlog({ seed, seconds: 8 }).bytes,
    });
  }
  entries.push({
    name: 'generated tlog v1 only',
    format: 'tlog',
    bytes: generateTlog({ seed: 4, seconds: 8, v2Share: 0 }).bytes,
  });
  entries.push({ name: 'generated CSV', format: 'csv', bytes: generateCsv({ seed: 1, rows: 300 }).bytes });
  entries.push({
    name: 'generated CSV BOM+CRLF',
    format: 'csv',
    bytes: generateCsv({ seed: 2, rows: 300, bom: true, crlf: true }).bytes,
  });
  entries.push({
    name: 'generated CSV time_ms',
    format: 'csv',
    bytes: generateCsv({ seed: 3, rows: 200, time: { header: 'time_ms', unit: 'ms' } }).bytes,
  });
  return { entries, missing };
}
