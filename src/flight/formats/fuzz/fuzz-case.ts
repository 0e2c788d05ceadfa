/**
 * One fuzz case, fully determined by (campaign seed, case index, corpus): pick a seed input, mutate
 * it, decode it with its format's decoder in random chunks and (sometimes) through detection, and
 * check the contract: a DecodedLog that keeps the invariants, or a FlightDecodeError — nothing else.
 */
import { collectDecodedLog } from '../collect.js';
import { FlightDecodeError, MAX_STORED_WARNINGS, type DecodedLog, type LogFormat } from '../decoded-log.js';
import { decodeFlightLog, decoderFor } from '../index.js';
import type { CorpusEntry } from './corpus.js';
import { mutate } from './mutators.js';
import { caseSeed, Prng } from './prng.js';

export interface PreparedCase {
  readonly index: number;
  readonly entry: CorpusEntry;
  readonly bytes: Uint8Array;
  readonly mutation: string;
  readonly chunkSize: number;
  readonly viaDetection: boolean;
  readonly checkChunking: boolean;
}

export interface CaseOutcome {
  readonly index: number;
  readonly input: string;
  readonly mutation: string;
  readonly bytes: number;
  readonly result: 'decoded' | 'rejected' | 'failed';
  readonly completeness?: string;
  /** Set when the contract was broken: the message and stack of what went wrong. */
  readonly failure?: string;
}

const COMPLETENESS = new Set(['complete', 'truncated', 'corrupt_recovered']);

export function prepareCase(entries: readonly CorpusEntry[], seed: number, index: number): PreparedCase {
  const rng = new Prng(caseSeed(seed, index));
  const entry = rng.pick(entries);
  const { bytes, description } = mutate(entry.bytes, rng);
  const chunkSize = rng.chance(0.5) ? bytes.length + 1 : rng.range(1, 8192);
  return {
    index,
    entry,
    bytes,
    mutation: description,
    chunkSize: Math.max(1, chunkSize),
    viaDetection: rng.chance(0.3),
    checkChunking: rng.chance(0.15),
  };
}

/** Breaks of the DecodedLog invariants, as messages (empty when the log is well-formed). */
export function checkInvariants(log: DecodedLog, inputLength: number, format?: LogFormat): string[] {
  const problems: string[] = [];
  if (format !== undefined && log.format !== format)
    problems.push(`format ${log.format}, expected ${format}`);
  if (!COMPLETENESS.has(log.completeness)) problems.push(`completeness ${String(log.completeness)}`);
  if (!(log.bytesRead >= 0 && log.bytesRead <= inputLength))
    problems.push(`bytesRead ${log.bytesRead} of ${inputLength}`);
  if (log.warnings.length > MAX_STORED_WARNINGS + 1) problems.push(`${log.warnings.length} warnings stored`);
  for (const s of log.series) {
    const where = `${s.topic}/${s.instance}`;
    if (!(s.timestamps instanceof Float64Array)) problems.push(`${where}: timestamps not Float64Array`);
    if (s.columns.size !== new Set(s.fields.map((f) => f.name)).size)
      problems.push(`${where}: ${s.columns.size} columns for ${s.fields.length} fields`);
    for (const field of s.fields) {
      const column = s.columns.get(field.name);
      if (column === undefined) problems.push(`${where}.${field.name}: missing column`);
      else if (!(column instanceof Float64Array) && !Array.isArray(column))
        problems.push(`${where}.${field.name}: bad column type`);
      else if (column.length !== s.timestamps.length) {
        problems.push(
          `${where}.${field.name}: ${column.length} values for ${s.timestamps.length} timestamps`,
        );
      }
    }
    if (problems.length > 20) break;
  }
  return problems;
}

/** A compact fingerprint of a decoded log, to compare decodes of the same bytes chunked differently. */
function fingerprint(log: DecodedLog): string {
  const series = log.series.map((s) => `${s.topic}/${s.instance}:${s.timestamps.length}`).join(',');
  return `${log.completeness}|${log.messages.length}|${log.parameters.size}|${series}`;
}

/** The first differing part of two fingerprints, e.g. `vehicle_attitude/0:73 (chunked) vs …:74 (whole)`. */
function firstDifference(chunked: string, whole: string): string {
  const a = chunked.split(/[|,]/);
  const b = whole.split(/[|,]/);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `${a[i] ?? '(nothing)'} (chunked) vs ${b[i] ?? '(nothing)'} (whole)`;
  }
  return 'identical';
}

type Attempt = { log: DecodedLog } | { rejected: FlightDecodeError };

function attempt(run: () => DecodedLog): Attempt {
  try {
    return { log: run() };
  } catch (error) {
    if (error instanceof FlightDecodeError) return { rejected: error };
    throw error;
  }
}

export function runCase(prepared: PreparedCase): CaseOutcome {
  const { entry, bytes } = prepared;
  const base = { index: prepared.index, input: entry.name, mutation: prepared.mutation, bytes: bytes.length };
  try {
    const factory = decoderFor(entry.format);
    const direct = attempt(() => collectDecodedLog(factory, bytes, prepared.chunkSize));
    const problems: string[] = [];
    if ('log' in direct) problems.push(...checkInvariants(direct.log, bytes.length, entry.format));
    if (prepared.checkChunking) {
      const whole = attempt(() => collectDecodedLog(factory, bytes, bytes.length + 1));
      const a = 'log' in direct ? fingerprint(direct.log) : `rejected ${direct.rejected.code}`;
      const b = 'log' in whole ? fingerprint(whole.log) : `rejected ${whole.rejected.code}`;
      if (a !== b) {
        problems.push(`chunk size ${prepared.chunkSize} changes the result: ${firstDifference(a, b)}`);
      }
    }
    if (prepared.viaDetection) {
      const detected = attempt(() => decodeFlightLog(bytes));
      if ('log' in detected) problems.push(...checkInvariants(detected.log, bytes.length));
    }
    if (problems.length > 0)
      return { ...base, result: 'failed', failure: `invariants broken: ${problems.join('; ')}` };
    return 'log' in direct
      ? { ...base, result: 'decoded', completeness: direct.log.completeness }
      : { ...base, result: 'rejected', completeness: direct.rejected.code };
  } catch (error) {
    const failure =
      error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    return { ...base, result: 'failed', failure };
  }
}
