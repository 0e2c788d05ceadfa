/**
 * The ULog stream decoder: file header, message framing across arbitrary chunk boundaries, appended-data
 * offsets and resynchronisation after corruption. Message contents are interpreted by
 * {@link UlogMessageHandler}.
 *
 * Invariants:
 * - Between pushes only the unconsumed tail is kept, never more than {@link MAX_TAIL} bytes plus one
 *   append step, so memory does not grow with the file.
 * - Every loop iteration consumes at least one byte or stops; no input can make it spin.
 * - The result does not depend on how the input is split into chunks: the parser sees exactly the bytes
 *   present so far, and any decision that needs bytes not yet present waits for them (or for the end).
 * - A message is trusted only if its header is plausible for its type (size matches the subscribed
 *   format for data, the magic for sync, a valid level for text) and, for variable-size messages, the
 *   header after it is plausible too; otherwise bytes are skipped one by one until such a header (or a
 *   sync message) is found, with one warning per skipped region.
 * - Only {@link FlightDecodeError} is thrown: bad magic, a truncated file header, or an unknown
 *   incompatible flag, i.e. when nothing after that point could be decoded safely.
 */
import { FlightDecodeError, type Completeness, type LogSink, type StreamDecoder } from '../decoded-log.js';
import {
  FILE_HEADER_SIZE,
  FLAG_BITS_SIZE,
  INCOMPAT_DATA_APPENDED,
  MAX_TAIL,
  MSG,
  MSG_HEADER_SIZE,
  SYNC_MAGIC,
  ULOG_MAGIC,
} from './ulog-spec.constants.js';
import { severityOf, UlogMessageHandler } from './ulog-message.handler.js';

const enum Stage {
  Header,
  FirstMessage,
  Body,
  Ended,
}

/** Bytes of a new chunk appended to the kept tail per step: enough to always consume the old tail. */
const APPEND_STEP = 2 * MAX_TAIL;
const EMPTY = new Uint8Array(0);

/** Plausibility verdicts. */
const NO = -1;
const MORE = 0;
const YES = 1;

export class UlogStreamDecoder implements StreamDecoder {
  private stage = Stage.Header;
  private failure: FlightDecodeError | undefined;
  private readonly handler: UlogMessageHandler;
  /** Absolute file offset of the next unconsumed byte. */
  private pos = 0;
  private pend = new Uint8Array(1024);
  private pendLen = 0;
  private buf: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  /** Absolute file offset of `buf[0]`. */
  private base = 0;
  private appended: number[] = [];
  private skipUntil = 0;
  private resyncing = false;
  private resyncStart = 0;
  private resyncOnlyPadding = true;
  private resyncCutOff = false;
  /** Absolute offset just past the last message decoded: what `bytesRead` reports. */
  private lastGoodEnd = 0;
  private recovered = false;
  private truncated = false;

  constructor(private readonly sink: LogSink) {
    this.handler = new UlogMessageHandler(sink, (offset, message) => this.sink.warning({ offset, message }));
  }

  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (this.stage === Stage.Ended) return;
    let off = 0;
    while (this.pendLen > 0 && off < chunk.length) {
      const old = this.pendLen;
      const take = Math.min(chunk.length - off, APPEND_STEP);
      this.keep(chunk, off, take);
      off += take;
      const c = this.run(this.pend, 0, this.pendLen, false);
      if (c >= old) {
        off -= this.pendLen - c; // the rest of the tail is chunk[off…]: continue on the chunk itself
        this.pendLen = 0;
        break;
      }
      this.pend.copyWithin(0, c, this.pendLen);
      this.pendLen -= c;
    }
    if (this.pendLen === 0 && off < chunk.length) {
      const c = this.run(chunk, off, chunk.length, false);
      if (c < chunk.length) this.keep(chunk, c, chunk.length - c);
    }
  }

  end(): { completeness: Completeness; bytesRead: number } {
    if (this.failure) throw this.failure;
    if (this.stage !== Stage.Ended) this.finish();
    const completeness: Completeness = this.recovered ? 'corrupt_recovered' : this.truncated ? 'truncated' : 'complete';
    return { completeness, bytesRead: this.lastGoodEnd };
  }

  private finish(): void {
    const c = this.run(this.pend, 0, this.pendLen, true);
    const left = this.pendLen - c;
    if (this.stage === Stage.Header) {
      const code = this.pos + left === 0 ? 'ULOG_EMPTY' : 'ULOG_TRUNCATED_HEADER';
      this.fail(code, `file ends inside the 16-byte ULog header (${left} bytes)`, 0);
    }
    if (this.resyncing) {
      const skipped = this.pos - this.resyncStart;
      const what = this.resyncCutOff
        ? 'a message cut off by the end of the file'
        : this.resyncOnlyPadding
          ? 'padding (0x00/0xFF)'
          : 'unparseable data';
      this.warn(this.resyncStart, `${skipped} bytes of ${what} at the end of the file`);
      this.truncated = true;
    }
    if (left > 0) {
      this.warn(this.pos, `file ends inside a message (${left} bytes of it present)`);
      this.truncated = true;
    }
    this.pendLen = 0;
    this.stage = Stage.Ended;
    this.handler.finish();
  }

  private keep(src: Uint8Array, from: number, length: number): void {
    const need = this.pendLen + length;
    if (need > this.pend.length) {
      const grown = new Uint8Array(Math.max(need, this.pend.length * 2));
      grown.set(this.pend.subarray(0, this.pendLen));
      this.pend = grown;
    }
    this.pend.set(src.subarray(from, from + length), this.pendLen);
    this.pendLen = need;
  }

  /**
   * Parses `buf[start, end)`; returns where it stopped and advances the absolute position to match.
   * The parser only ever sees `buf[0, end)`: `pend` is a reused buffer whose bytes past `pendLen` are
   * stale leftovers of earlier tails, and a read there (e.g. a message type byte looked at before the
   * length check) would make decisions depend on where the input was split into chunks. Bounded this
   * way, such a read gives `undefined` and the DataView throws, as for a chunk of exactly that length.
   */
  private run(buf: Uint8Array, start: number, end: number, final: boolean): number {
    if (end < buf.length) buf = buf.subarray(0, end);
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.base = this.pos - start;
    const stop = this.parse(start, end, final);
    this.pos = this.base + stop;
    return stop;
  }

  private parse(start: number, end: number, final: boolean): number {
    const buf = this.buf;
    const view = this.view;
    let p = start;
    for (;;) {
      if (this.stage === Stage.Header) {
        if (!this.header(p, end)) return p;
        p += FILE_HEADER_SIZE;
        this.lastGoodEnd = this.base + p;
        continue;
      }
      const boundary = this.nextBoundary(this.base + p);
      if (this.skipUntil > this.base + p) {
        const target = this.skipUntil - this.base;
        if (target > end) return end;
        p = target;
        continue;
      }
      if (this.resyncing) {
        p = this.scan(p, end, final, boundary);
        if (this.resyncing) return p;
        continue;
      }
      if (end - p < MSG_HEADER_SIZE) return p;
      const size = view.getUint16(p, true);
      const type = buf[p + 2]!;
      const msgEnd = p + MSG_HEADER_SIZE + size;
      if (boundary >= 0 && this.base + msgEnd > boundary) {
        this.warn(this.base + p, 'message cut off by appended data; continuing at the appended offset');
        this.skipUntil = boundary;
        continue;
      }
      // Hot path: a complete data message is checked and decoded in one step. One that is not
      // plausible is decoded by nothing and falls through to the checks below, which reject it.
      if (type === MSG.DATA && size >= 2 && msgEnd <= end && this.handler.data(buf, view, p + MSG_HEADER_SIZE, msgEnd, this.base + p)) {
        this.stage = Stage.Body;
        p = msgEnd;
        this.lastGoodEnd = this.base + p;
        continue;
      }
      const verdict = this.plausible(p, end, -1, true);
      if (verdict === NO || (final && (verdict === MORE || msgEnd > end))) {
        // At the end of input a message running past it is either the cut-off last message or a
        // corrupt size; scanning on tells them apart (a later valid message means corruption).
        this.startResync(p, verdict !== NO);
        continue;
      }
      if (verdict === MORE || msgEnd > end) return p;
      if (type !== MSG.DATA && type !== MSG.SYNC && type !== MSG.DROPOUT && type !== MSG.REMOVE_SUBSCRIPTION) {
        const allow = type === MSG.ADD_SUBSCRIPTION && size >= 3 ? view.getUint16(p + 4, true) : -1;
        const next = msgEnd < end ? this.plausible(msgEnd, end, allow, false) : MORE;
        if (next === MORE && !final) return p;
        if (next === NO) {
          this.startResync(p);
          continue;
        }
      }
      if (type === MSG.FLAG_BITS) {
        this.flagBits(p + MSG_HEADER_SIZE, msgEnd);
      } else if (!this.handler.handle(type, buf, view, p + MSG_HEADER_SIZE, msgEnd, this.base + p)) {
        this.startResync(p);
        continue;
      }
      this.stage = Stage.Body;
      p = msgEnd;
      this.lastGoodEnd = this.base + p;
    }
  }

  /**
   * Whether a message header at `p` is plausible: YES, NO, or MORE (more bytes needed to tell).
   * `strict` checks a message about to be decoded; otherwise it checks the header after one, where a
   * data message for `allowId` (subscribed by the message before it) is accepted too.
   */
  private plausible(p: number, end: number, allowId: number, strict: boolean): number {
    if (end - p < MSG_HEADER_SIZE) return MORE;
    const size = this.view.getUint16(p, true);
    const type = this.buf[p + 2]!;
    const first = p + MSG_HEADER_SIZE;
    switch (type) {
      case MSG.DATA: {
        if (size < 2) return NO;
        if (end - first < 2) return MORE;
        const id = this.view.getUint16(first, true);
        if (!strict && (id === allowId || this.handler.isSubscribed(id))) return YES;
        return this.handler.dataPlausible(id, size - 2, this.base + p) ? YES : NO;
      }
      case MSG.SYNC:
        if (size !== SYNC_MAGIC.length) return NO;
        if (!strict) return YES;
        if (end - first < size) return MORE;
        for (let i = 0; i < SYNC_MAGIC.length; i++) if (this.buf[first + i] !== SYNC_MAGIC[i]) return NO;
        return YES;
      case MSG.DROPOUT:
      case MSG.REMOVE_SUBSCRIPTION:
        return size === 2 ? YES : NO;
      case MSG.LOGGING:
      case MSG.LOGGING_TAGGED:
        if (size < (type === MSG.LOGGING ? 9 : 11)) return NO;
        if (end - first < 1) return MORE;
        return severityOf(this.buf[first]!) === undefined ? NO : YES;
      case MSG.ADD_SUBSCRIPTION:
        return size >= 4 ? YES : NO;
      case MSG.FORMAT:
        return size >= 3 ? YES : NO;
      case MSG.INFO:
      case MSG.PARAMETER:
      case MSG.INFO_MULTI:
      case MSG.PARAMETER_DEFAULT: {
        const keyAt = type === MSG.INFO || type === MSG.PARAMETER ? 0 : 1;
        if (size < keyAt + 2) return NO;
        if (end - first <= keyAt) return MORE;
        const keyLen = this.buf[first + keyAt]!;
        return keyLen > 0 && keyLen <= size - keyAt - 1 ? YES : NO;
      }
      case MSG.FLAG_BITS:
        return this.stage === Stage.FirstMessage ? YES : NO;
      default:
        return NO;
    }
  }

  private startResync(p: number, cutOff = false): void {
    this.resyncing = true;
    this.resyncCutOff = cutOff;
    this.resyncStart = this.base + p;
    this.resyncOnlyPadding = true;
  }

  /**
   * Skips bytes until a trustworthy message start: a sync message, or a data/text/dropout/remove header
   * that is plausible and followed by a plausible header. Definitions are not accepted here, since
   * random bytes passing as a parameter would be worse than losing one.
   */
  private scan(from: number, end: number, final: boolean, boundary: number): number {
    const buf = this.buf;
    const limit = boundary >= 0 ? Math.min(end, boundary - this.base) : end;
    for (let q = from; q < limit; q++) {
      // Undefined when the header is not complete yet: then the candidate is decided once it is.
      const type = q + 2 < end ? buf[q + 2] : undefined;
      if (
        type === MSG.DATA ||
        type === MSG.SYNC ||
        type === MSG.LOGGING ||
        type === MSG.LOGGING_TAGGED ||
        type === MSG.DROPOUT ||
        type === MSG.REMOVE_SUBSCRIPTION
      ) {
        const v = this.plausible(q, end, -1, true);
        if (v === MORE && !final) return q;
        if (v === YES) {
          if (type === MSG.SYNC) return this.endResync(q);
          const next = q + MSG_HEADER_SIZE + this.view.getUint16(q, true);
          const nv = next < end ? this.plausible(next, end, -1, false) : next === end && final ? YES : MORE;
          if (nv === MORE && !final) return q;
          if (nv === YES) return this.endResync(q);
        }
      } else if (type === undefined && !final) {
        return q; // fewer than 3 bytes left: wait for more
      }
      const b = buf[q]!;
      if (b !== 0 && b !== 0xff) this.resyncOnlyPadding = false;
    }
    if (limit < end) return this.endResync(limit);
    return end;
  }

  private endResync(q: number): number {
    this.resyncing = false;
    this.recovered = true;
    const at = this.base + q;
    this.warn(this.resyncStart, `skipped ${at - this.resyncStart} corrupt bytes; resynchronised at byte ${at}`);
    return q;
  }

  /** The next appended-data offset at or after `abs`, or -1; offsets already passed are dropped. */
  private nextBoundary(abs: number): number {
    while (this.appended.length > 0 && this.appended[0]! < abs) this.appended.shift();
    if (this.appended[0] === abs) this.appended.shift();
    return this.appended[0] ?? -1;
  }

  /** Checks the 16-byte file header once enough bytes are present; throws on wrong magic. */
  private header(p: number, end: number): boolean {
    const n = Math.min(end - p, ULOG_MAGIC.length);
    for (let i = 0; i < n; i++) {
      if (this.buf[p + i] !== ULOG_MAGIC[i]) this.fail('ULOG_BAD_MAGIC', 'not a ULog file: magic bytes do not match', i);
    }
    if (end - p < FILE_HEADER_SIZE) return false;
    const version = this.buf[p + 7]!;
    const start = this.view.getUint32(p + 8, true) + this.view.getUint32(p + 12, true) * 4294967296;
    this.sink.header({ format: 'ulog', formatVersion: String(version) });
    this.sink.info('start_time_s', start / 1e6);
    if (version > 1) this.warn(7, `ULog file version ${version} is newer than this decoder knows (1); decoding anyway`);
    this.stage = Stage.FirstMessage;
    return true;
  }

  /** 'B' message: refuse unknown incompatible flags, remember appended-data offsets. */
  private flagBits(start: number, end: number): void {
    if (end - start < FLAG_BITS_SIZE) {
      this.warn(this.base + start, 'flag bits message too short; ignored');
      return;
    }
    const incompat = this.buf.subarray(start + 8, start + 16);
    for (let i = 0; i < 8; i++) {
      const unknown = i === 0 ? incompat[0]! & ~INCOMPAT_DATA_APPENDED : incompat[i]!;
      if (unknown !== 0) {
        this.fail(
          'ULOG_UNSUPPORTED_INCOMPAT_FLAG',
          `ULog uses incompatible feature flag(s) 0x${unknown.toString(16)} in byte ${i} that this decoder does not know`,
          this.base + start + 8 + i,
        );
      }
    }
    if ((incompat[0]! & INCOMPAT_DATA_APPENDED) === 0) return;
    const offsets: number[] = [];
    for (let i = 0; i < 3; i++) {
      const at = start + 16 + i * 8;
      const off = this.view.getUint32(at, true) + this.view.getUint32(at + 4, true) * 4294967296;
      if (off > this.base + end) offsets.push(off);
    }
    this.appended = [...new Set(offsets)].sort((a, b) => a - b);
    this.sink.info('appended_data', 1);
  }

  private warn(offset: number, message: string): void {
    this.sink.warning({ offset, message });
  }

  private fail(code: string, message: string, offset: number): never {
    this.failure = new FlightDecodeError(code, message, offset, 'ulog');
    this.stage = Stage.Ended;
    throw this.failure;
  }
}
