/**
 * Builds a long, realistic flight log from a real one for the flight benchmarks: the log is kept whole
 * (start-up, take-off, landing), and a window of it in the middle of the flight is repeated until the
 * file reaches the wanted size, each copy's timestamps shifted by the window's length so time keeps
 * increasing — one long flight, not copies of a log whose clock restarts (which would send every series
 * down the signal model's sort path, a cost a real log never has).
 *
 * Only the record/message framing is parsed here (independent of the decoders under test):
 * - DataFlash: `TimeUS` (uint64 µs) is shifted wherever a message format has it; formats without it
 *   (2014-era `TimeMS` logs) are shifted too when `TimeMS` (uint32 ms) is their first field. Format
 *   (FMT) records inside the window are kept in the first copy only.
 * - ULog: the top-level `uint64_t timestamp` of every data message whose format starts with it, and
 *   the timestamps of logged strings (L, C). Subscriptions (A/R) are kept in the first copy only.
 * Other time fields (GPS week/ms, `timestamp_sample`) keep their values; no check depends on them.
 */
import { FORMAT_CHARS } from '../src/flight/formats/dataflash/format-char.table.js';
import type { Interval } from '../src/flight/signals/index.js';

export interface LongLog {
  readonly bytes: Uint8Array;
  /** Times the window appears (1 = the original log). */
  readonly copies: number;
  /** Seconds the log spans after repetition, start to end. */
  readonly seconds: number;
  /** Data messages left unshifted because their format has no recognised time field. */
  readonly unshifted: number;
}

/** One framed record: byte range, its time in the log's own unit (NaN when it has none), how to shift it. */
interface Frame {
  readonly start: number;
  readonly end: number;
  readonly time: number;
  /** Byte offset of the time field from `start`, or -1. */
  readonly timeAt: number;
  /** 8 for a uint64, 4 for a uint32. */
  readonly timeBytes: number;
  /** Kept only in the first copy of the window (definitions, subscriptions). */
  readonly firstCopyOnly: boolean;
}

const readTime = (b: Uint8Array, at: number, bytes: number): number => {
  const view = new DataView(b.buffer, b.byteOffset);
  return bytes === 8 ? view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32 : view.getUint32(at, true);
};

function writeTime(b: Uint8Array, at: number, bytes: number, value: number): void {
  const view = new DataView(b.buffer, b.byteOffset);
  view.setUint32(at, value % 2 ** 32, true);
  if (bytes === 8) view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

function dataflashFrames(file: Uint8Array): { frames: Frame[]; unitsPerSecond: number; unshifted: number } {
  const FMT = 0x80;
  const length = new Map<number, number>([[FMT, 89]]);
  const time = new Map<number, { at: number; bytes: number }>();
  const frames: Frame[] = [];
  const ascii = (from: number, n: number): string =>
    String.fromCharCode(...file.subarray(from, from + n)).replace(/\0.*$/s, '');
  let unitsPerSecond = 1e6;
  let unshifted = 0;
  let p = 0;
  while (p + 3 <= file.length && file[p] === 0xa3 && file[p + 1] === 0x95) {
    const id = file[p + 2]!;
    const len = length.get(id);
    if (len === undefined || p + len > file.length) break;
    if (id === FMT) {
      const type = file[p + 3]!;
      length.set(type, file[p + 4]!);
      const format = ascii(p + 9, 16);
      const labels = ascii(p + 25, 64).split(',');
      let index = labels.indexOf('TimeUS');
      if (index < 0 || format[index] !== 'Q') index = labels[0] === 'TimeMS' && format[0] === 'I' ? 0 : -1;
      if (index >= 0) {
        if (index === 0 && labels[0] === 'TimeMS') unitsPerSecond = 1e3;
        let at = 3;
        for (const c of format.slice(0, index)) at += FORMAT_CHARS.get(c)?.size ?? 0;
        time.set(type, { at, bytes: format[index] === 'Q' ? 8 : 4 });
      }
    }
    const field = time.get(id);
    if (!field && id !== FMT) unshifted++;
    frames.push({
      start: p,
      end: p + len,
      time: field ? readTime(file, p + field.at, field.bytes) : NaN,
      timeAt: field?.at ?? -1,
      timeBytes: field?.bytes ?? 0,
      firstCopyOnly: id === FMT,
    });
    p += len;
  }
  return { frames, unitsPerSecond, unshifted };
}

function ulogFrames(file: Uint8Array): { frames: Frame[]; unitsPerSecond: number; unshifted: number } {
  const startsWithTimestamp = new Map<string, boolean>();
  const topicOf = new Map<number, string>();
  const frames: Frame[] = [];
  const text = (from: number, to: number): string => new TextDecoder().decode(file.subarray(from, to));
  let unshifted = 0;
  let p = 16;
  while (p + 3 <= file.length) {
    const size = file[p]! | (file[p + 1]! << 8);
    const type = String.fromCharCode(file[p + 2]!);
    const end = p + 3 + size;
    if (end > file.length) break;
    let timeAt = -1;
    if (type === 'F') {
      const [name, fields = ''] = text(p + 3, end).split(':');
      startsWithTimestamp.set(name!, fields.startsWith('uint64_t timestamp;'));
    } else if (type === 'A') {
      topicOf.set(file[p + 4]! | (file[p + 5]! << 8), text(p + 6, end));
    } else if (type === 'D') {
      if (startsWithTimestamp.get(topicOf.get(file[p + 3]! | (file[p + 4]! << 8)) ?? '')) timeAt = 5;
      else unshifted++;
    } else if (type === 'L') {
      timeAt = 4;
    } else if (type === 'C') {
      timeAt = 6;
    }
    frames.push({
      start: p,
      end,
      time: timeAt >= 0 ? readTime(file, p + timeAt, 8) : NaN,
      timeAt,
      timeBytes: 8,
      firstCopyOnly: type === 'A' || type === 'R',
    });
    p = end;
  }
  return { frames, unitsPerSecond: 1e6, unshifted };
}

/**
 * Repeats the records of `window` (log seconds; pick it inside the flight) until the file is about
 * `targetBytes`, shifting the time of every copy and of everything after it.
 */
export function buildLongFlight(
  format: 'dataflash' | 'ulog',
  file: Uint8Array,
  window: Interval,
  targetBytes: number,
): LongLog {
  const { frames, unitsPerSecond, unshifted } = format === 'ulog' ? ulogFrames(file) : dataflashFrames(file);
  const from = window.start * unitsPerSecond;
  const to = window.end * unitsPerSecond;
  const first = frames.findIndex((f) => f.time >= from);
  const last = frames.findIndex((f) => f.time >= to);
  if (first < 0 || last <= first) throw new Error('window holds no timed records');
  const head = frames.slice(0, first);
  const body = frames.slice(first, last);
  const tail = frames.slice(last);
  const frameBytes = (fs: readonly Frame[], copy: number): number =>
    fs.reduce((n, f) => n + (copy > 0 && f.firstCopyOnly ? 0 : f.end - f.start), 0);
  const fixed = (frames[0]?.start ?? 0) + frameBytes(head, 0) + frameBytes(tail, 0);
  const copies = Math.max(1, 1 + Math.ceil((targetBytes - fixed - frameBytes(body, 0)) / frameBytes(body, 1)));
  const out = new Uint8Array(fixed + frameBytes(body, 0) + (copies - 1) * frameBytes(body, 1));
  out.set(file.subarray(0, frames[0]?.start ?? 0));
  let at = frames[0]?.start ?? 0;
  const span = Math.round(to - from);
  const emit = (fs: readonly Frame[], copy: number, shift: number): void => {
    for (const f of fs) {
      if (copy > 0 && f.firstCopyOnly) continue;
      out.set(file.subarray(f.start, f.end), at);
      if (shift > 0 && f.timeAt >= 0) writeTime(out, at + f.timeAt, f.timeBytes, f.time + shift);
      at += f.end - f.start;
    }
  };
  emit(head, 0, 0);
  for (let k = 0; k < copies; k++) emit(body, k, k * span);
  emit(tail, 0, (copies - 1) * span);
  let min = Infinity;
  let max = -Infinity;
  for (const f of frames) if (!Number.isNaN(f.time)) [min, max] = [Math.min(min, f.time), Math.max(max, f.time)];
  const seconds = (max - min + (copies - 1) * span) / unitsPerSecond;
  return { bytes: out, copies, seconds, unshifted };
}
