/**
 * Frames a DataFlash byte stream into records and keeps it in sync.
 *
 * Every record is `A3 95 <id>` followed by the body the id's FMT declared. The decoder keeps only the
 * unconsumed tail between pushes (at most one partial record plus the look-ahead resync needs), so
 * memory stays bounded whatever the file size.
 *
 * Damage handling, in order of what is seen at a record boundary:
 * - a header of a known id whose record runs past end of input → the prefix is kept, `truncated`;
 * - `FF`/`00` bytes (erased flash block tails, zero padding) → skipped; at end of input they end the
 *   log cleanly (a warning, completeness unaffected), and padding followed by valid records is also
 *   only a warning, since erased flash is not corruption;
 * - anything else (bad header, unknown id) → warn and resynchronise on the next `A3 95 <known id>`
 *   whose record is followed by another valid header (or the end of input), `corrupt_recovered`.
 * When both corruption and a final partial record occur, `corrupt_recovered` is reported.
 * Only {@link FlightDecodeError} is thrown, and only when the first bytes are not a DataFlash FMT
 * header (`DATAFLASH_BAD_MAGIC`) or the input is shorter than one header (`DATAFLASH_TOO_SHORT`).
 */
import type { Completeness, LogSink, StreamDecoder } from '../decoded-log.js';
import { FlightDecodeError, MAX_STORED_WARNINGS } from '../decoded-log.js';
import { RecordDecoder } from './record.decoder.js';

/** Local copies: imported bindings can cost a getter call per use under some loaders (tsx). */
const HEADER = 3;
const FMT_TYPE = 128;
const HEAD1 = 0xa3;
const HEAD2 = 0x95;
const MAGIC = [HEAD1, HEAD2, FMT_TYPE] as const;
const EMPTY = new Uint8Array(0);

const isPadding = (x: number): boolean => x === 0xff || x === 0x00;

export class DataflashStreamDecoder implements StreamDecoder {
  private readonly records: RecordDecoder;
  private tail: Uint8Array = EMPTY;
  /** File offset of `tail[0]` (and of the work buffer's first byte during a push). */
  private base = 0;
  private total = 0;
  private started = false;
  private ended = false;
  private corrupt = false;
  private truncated = false;
  /** Resynchronisation in progress: bytes from `skipStart` are being skipped. */
  private skipping = false;
  private skipStart = 0;
  private skipAllPadding = true;
  private skipReason = '';
  private warnings = 0;

  constructor(private readonly sink: LogSink) {
    this.records = new RecordDecoder(sink, (offset, message) => this.warn(offset, message));
  }

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    this.total += chunk.length;
    let work = chunk;
    if (this.tail.length > 0) {
      work = new Uint8Array(this.tail.length + chunk.length);
      work.set(this.tail, 0);
      work.set(chunk, this.tail.length);
    }
    if (!this.started && !this.checkMagic(work, false)) {
      this.tail = work.slice();
      return;
    }
    const consumed = this.parse(work, false);
    this.base += consumed;
    this.tail = consumed === work.length ? EMPTY : work.slice(consumed);
  }

  end(): { completeness: Completeness; bytesRead: number } {
    if (this.ended) return this.result();
    this.ended = true;
    if (!this.started) this.checkMagic(this.tail, true);
    const work = this.tail;
    const consumed = this.parse(work, true);
    const rest = work.length - consumed;
    if (this.skipping) this.closeSkip(this.base + work.length, true);
    else if (rest > 0) {
      this.truncated = true;
      const id = rest >= HEADER ? work[consumed + 2]! : -1;
      const layout = id >= 0 ? this.records.layouts[id] : undefined;
      this.warn(
        this.base + consumed,
        layout
          ? `file ends inside record ${layout.name} (${rest} of ${layout.length} bytes)`
          : `file ends inside a record header (${rest} bytes)`,
      );
    }
    this.base += work.length;
    this.tail = EMPTY;
    this.records.finish();
    if (this.warnings > MAX_STORED_WARNINGS) {
      this.sink.warning({ offset: -1, message: `${this.warnings - MAX_STORED_WARNINGS} further decoder warnings suppressed` });
    }
    return this.result();
  }

  private result(): { completeness: Completeness; bytesRead: number } {
    const completeness: Completeness = this.corrupt ? 'corrupt_recovered' : this.truncated ? 'truncated' : 'complete';
    return { completeness, bytesRead: this.total };
  }

  private warn(offset: number, message: string): void {
    this.warnings++;
    if (this.warnings <= MAX_STORED_WARNINGS) this.sink.warning({ offset, message });
  }

  /** Verifies `A3 95 80` at file start; returns true once verified (and announces the header). */
  private checkMagic(b: Uint8Array, final: boolean): boolean {
    for (let i = 0; i < MAGIC.length && i < b.length; i++) {
      if (b[i] !== MAGIC[i]) {
        throw new FlightDecodeError(
          'DATAFLASH_BAD_MAGIC',
          'not an ArduPilot DataFlash log: expected A3 95 80 (FMT record) at the start',
          i,
          'dataflash',
        );
      }
    }
    if (b.length < MAGIC.length) {
      if (final) {
        throw new FlightDecodeError('DATAFLASH_TOO_SHORT', `only ${b.length} bytes: no DataFlash record`, b.length, 'dataflash');
      }
      return false;
    }
    this.started = true;
    this.sink.header({ format: 'dataflash', formatVersion: 'binary' });
    return true;
  }

  /** Consumes whole records from `b`; returns how many bytes were consumed. */
  private parse(b: Uint8Array, final: boolean): number {
    const n = b.length;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const layouts = this.records.layouts;
    const records = this.records;
    let p = 0;
    for (;;) {
      if (this.skipping) {
        const found = this.scan(b, p, final);
        if (found < 0) return -found - 1;
        p = found;
        this.closeSkip(this.base + p, false);
      }
      if (p >= n) return p;
      if (b[p] !== HEAD1 || (p + 1 < n && b[p + 1] !== HEAD2)) {
        this.openSkip(p, isPadding(b[p]!) ? 'padding' : 'bad record header');
        continue;
      }
      if (p + HEADER > n) return p;
      const layout = layouts[b[p + 2]!];
      if (layout === undefined) {
        this.openSkip(p, `unknown message id ${b[p + 2]!}`);
        continue;
      }
      const end = p + layout.length;
      if (end > n) return p;
      records.decode(layout, b, dv, p, this.base + p);
      p = end;
    }
  }

  private openSkip(p: number, reason: string): void {
    this.skipping = true;
    this.skipStart = this.base + p;
    this.skipAllPadding = reason === 'padding';
    this.skipReason = reason;
  }

  private closeSkip(fileOffset: number, atEnd: boolean): void {
    this.skipping = false;
    const bytes = fileOffset - this.skipStart;
    if (this.skipAllPadding) {
      this.warn(
        this.skipStart,
        atEnd
          ? `log ends in ${bytes} bytes of FF/00 padding (erased flash or zero fill); ignored`
          : `skipped ${bytes} bytes of FF/00 padding before the next record`,
      );
      return;
    }
    this.corrupt = true;
    this.warn(
      this.skipStart,
      atEnd
        ? `${this.skipReason}: ${bytes} bytes up to end of file could not be decoded`
        : `${this.skipReason}: skipped ${bytes} corrupt bytes, resynchronised at byte ${fileOffset}`,
    );
  }

  /**
   * Looks for the next trustworthy record start at or after `p + 1` (the byte at `p` is known bad).
   * Returns its position, or `-(keep + 1)` where `keep` is the first byte that must be retained until
   * more input arrives (everything before it has been skipped).
   */
  private scan(b: Uint8Array, p: number, final: boolean): number {
    const n = b.length;
    const layouts = this.records.layouts;
    const from = this.base + p === this.skipStart ? p + 1 : p;
    if (from > p && !isPadding(b[p]!)) this.skipAllPadding = false;
    for (let i = from; i < n; i++) {
      const x = b[i]!;
      if (x === HEAD1) {
        if (i + HEADER > n) {
          if (!final) return -(i + 1);
        } else if (b[i + 1] === HEAD2) {
          const layout = layouts[b[i + 2]!];
          if (layout !== undefined) {
            const next = i + layout.length;
            if (next + HEADER <= n) {
              const nextLayout = layouts[b[next + 2]!];
              const definesNext = layout.id === FMT_TYPE && b[next + 2] === b[i + 3];
              if (b[next] === HEAD1 && b[next + 1] === HEAD2 && (nextLayout !== undefined || definesNext)) return i;
            } else if (!final) return -(i + 1);
            else return i;
          }
        }
      }
      if (!isPadding(x)) this.skipAllPadding = false;
    }
    return -(n + 1);
  }
}
