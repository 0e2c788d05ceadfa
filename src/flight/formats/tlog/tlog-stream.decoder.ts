/**
 * Streaming decoder for MAVLink telemetry logs (`.tlog`, as written by MAVProxy, Mission Planner,
 * QGroundControl): records of [uint64 BE µs UNIX time][MAVLink v1 or v2 frame].
 *
 * Choices (see docs/flight/tlog-format.md):
 * - Series = message name; instance = sysid * 256 + compid, so a GCS, a gimbal and the autopilot that
 *   all send HEARTBEAT stay apart.
 * - A frame is accepted when its CRC (with CRC_EXTRA) matches. A frame with an id outside our dialects
 *   cannot be verified; it is skipped (one warning per id) only while the stream is in sync, i.e. when
 *   the next record also starts with a MAVLink magic byte. Otherwise it is treated as corruption.
 * - On corruption we scan forward byte by byte for the next record whose frame passes CRC, warn once
 *   per skipped span, and report `corrupt_recovered` (which wins over `truncated` when both happen).
 */
import { FlightDecodeError, type Completeness, type LogSink, type StreamDecoder } from '../decoded-log.js';
import { ColumnBatchBuffer } from '../common/column-batch.buffer.js';
import { NumericKind, readNumericField } from '../common/numeric-field.reader.js';
import { MAX_PAYLOAD, type MessageDef } from './mavlink-dialect.js';
import {
  FrameStatus,
  MAGIC_V1,
  MAGIC_V2,
  newRecordView,
  readRecord,
  recordTimeSeconds,
  TIMESTAMP_BYTES,
  type RecordView,
} from './tlog-frame.parser.js';

const MSG_HEARTBEAT = 0;
const MSG_PARAM_VALUE = 22;
const MSG_STATUSTEXT = 253;
const MAV_AUTOPILOT_INVALID = 8;
const MAV_AUTOPILOT_PX4 = 12;
const MAV_TYPE_GCS = 6;
const MAX_UNKNOWN_IDS_WARNED = 64;
const MAX_PENDING_STATUSTEXT = 64;
const STATUSTEXT_CHUNK = 50;
/** Rows per emitted batch, and the first block of a series (it doubles up to a batch). */
const BATCH_ROWS = 1024;
const INITIAL_ROWS = 16;

const EMPTY = new Uint8Array(0);

class TlogDecoder implements StreamDecoder {
  private buf: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private total = 0;
  private readonly record: RecordView = newRecordView();
  private readonly scratch = new Uint8Array(MAX_PAYLOAD + 8);
  private readonly scratchView = new DataView(this.scratch.buffer);
  private readonly series = new Map<number, ColumnBatchBuffer>();
  private readonly autopilotBySystem = new Map<number, number>();
  private readonly unknownIds = new Set<number>();
  private readonly statusChunks = new Map<number, { time: number; severity: number; text: string }>();
  private readonly versions = new Set<number>();
  private lastVehicle = '';
  private validFrames = 0;
  /** File offset where the current corrupt span began, or -1 while in sync. */
  private corruptFrom = -1;
  /** File offset of a record cut short at end of input (resolved to truncation or corruption). */
  private cutRecordAt = -1;
  private corrupt = false;
  private truncated = false;

  constructor(private readonly sink: LogSink) {
    sink.header({ format: 'tlog', formatVersion: 'mavlink' });
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    const rest = this.buf.length - this.pos;
    if (rest === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, rest);
      this.base += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.run(false);
  }

  end(): { completeness: Completeness; bytesRead: number } {
    this.run(true);
    if (this.corruptFrom >= 0) {
      if (this.cutRecordAt >= 0 && this.cutRecordAt === this.corruptFrom) {
        this.truncated = true;
        this.warn(
          this.cutRecordAt,
          `file ends inside a record (${this.total - this.cutRecordAt} bytes dropped)`,
        );
      } else {
        this.corrupt = true;
        this.warn(
          this.corruptFrom,
          `skipped ${this.total - this.corruptFrom} corrupt bytes up to the end of the file`,
        );
      }
    }
    for (const pending of this.statusChunks.values()) this.sink.text(pending);
    this.statusChunks.clear();
    if (this.validFrames === 0) {
      throw this.total === 0
        ? new FlightDecodeError('EMPTY_LOG', 'the tlog is empty', 0, 'tlog')
        : new FlightDecodeError('TLOG_NO_FRAMES', 'no MAVLink frame with a valid CRC found', 0, 'tlog');
    }
    for (const s of this.series.values()) s.flush(this.sink, true);
    this.sink.info(
      'mavlink_versions',
      [...this.versions]
        .sort()
        .map((v) => `v${v}`)
        .join('+'),
    );
    const completeness: Completeness = this.corrupt
      ? 'corrupt_recovered'
      : this.truncated
        ? 'truncated'
        : 'complete';
    return { completeness, bytesRead: this.total };
  }

  private run(final: boolean): void {
    const buf = this.buf;
    const end = buf.length;
    const rec = this.record;
    let p = this.pos;
    while (p < end) {
      const status = readRecord(buf, p, end, rec);
      if (this.corruptFrom < 0) {
        if (status === FrameStatus.Ok) {
          this.decodeFrame(p);
          p += rec.recordLength;
          continue;
        }
        if (status === FrameStatus.NeedMore) {
          if (!final) break;
          this.cutRecordAt = this.base + p;
          this.corruptFrom = this.base + p;
          p++;
          continue;
        }
        if (status === FrameStatus.Unknown) {
          const next = p + rec.recordLength;
          const nextMagic = next + TIMESTAMP_BYTES < end ? buf[next + TIMESTAMP_BYTES] : undefined;
          if (nextMagic === MAGIC_V1 || nextMagic === MAGIC_V2 || (final && next === end)) {
            this.skipUnknown(p, rec.msgid);
            p = next;
            continue;
          }
          if (nextMagic === undefined && !final) break;
        }
        this.corruptFrom = this.base + p;
        p++;
        continue;
      }
      // Resynchronising: only a frame that passes CRC ends the corrupt span.
      if (status === FrameStatus.Ok) {
        this.corrupt = true;
        this.warn(this.corruptFrom, `skipped ${this.base + p - this.corruptFrom} corrupt bytes`);
        this.corruptFrom = -1;
        this.cutRecordAt = -1;
        continue;
      }
      if (status === FrameStatus.NeedMore && !final) break;
      p = this.nextCandidate(buf, p + 1, end);
    }
    this.pos = p;
  }

  /** First position ≥ from whose byte after the timestamp is a MAVLink magic (or where the buffer is too short to tell). */
  private nextCandidate(buf: Uint8Array, from: number, end: number): number {
    let q = from;
    while (q + TIMESTAMP_BYTES < end) {
      const b = buf[q + TIMESTAMP_BYTES];
      if (b === MAGIC_V1 || b === MAGIC_V2) return q;
      q++;
    }
    return q;
  }

  private skipUnknown(p: number, msgid: number): void {
    if (this.unknownIds.has(msgid) || this.unknownIds.size >= MAX_UNKNOWN_IDS_WARNED) return;
    this.unknownIds.add(msgid);
    this.warn(
      this.base + p,
      `message id ${msgid} is not in the common/ardupilotmega dialects; its frames are skipped`,
    );
  }

  private warn(offset: number, message: string): void {
    this.sink.warning({ offset, message });
  }

  private decodeFrame(p: number): void {
    const rec = this.record;
    const def = rec.def!;
    this.validFrames++;
    this.versions.add(rec.version);
    const time = recordTimeSeconds(this.buf, p);
    const instance = rec.sysid * 256 + rec.compid;
    const key = def.id * 65536 + instance;
    let series = this.series.get(key);
    if (series === undefined) {
      // Schema fields are the numeric reads, then the string reads.
      const isText = def.fields.map((_, i) => i >= def.numeric.length);
      series = new ColumnBatchBuffer(def.name, instance, isText, {
        initialRows: INITIAL_ROWS,
        batchRows: BATCH_ROWS,
        growth: 'copy',
      });
      this.series.set(key, series);
      this.sink.schema({ topic: def.name, instance, fields: def.fields });
    }
    // Zero-extend a payload MAVLink 2 truncated (trailing zeros removed) or a v1 frame without extensions.
    let bytes = this.buf;
    let view = this.view;
    let at = rec.payloadStart;
    if (rec.payloadLength < def.payloadLength) {
      this.scratch.fill(0);
      this.scratch.set(this.buf.subarray(at, at + rec.payloadLength));
      bytes = this.scratch;
      view = this.scratchView;
      at = 0;
    }
    const row = series.rows;
    series.time[row] = time;
    const numeric = def.numeric;
    const cols = series.num;
    for (let i = 0; i < numeric.length; i++) {
      const read = numeric[i]!;
      cols[i]![row] = readNumericField(view, at + read.offset, read.kind);
    }
    for (let i = 0; i < def.strings.length; i++) {
      const read = def.strings[i]!;
      series.text[i]!.push(readText(bytes, at + read.offset, read.length));
    }
    if (def.id === MSG_HEARTBEAT) this.onHeartbeat(series, def, row, rec.sysid);
    else if (def.id === MSG_STATUSTEXT) this.onStatusText(series, def, row, time, instance);
    else if (def.id === MSG_PARAM_VALUE) this.onParamValue(series, def, row, view, at, rec.sysid);
    series.rows = row + 1;
    if (series.rows === series.capacity) series.full(this.sink);
  }

  private column(series: ColumnBatchBuffer, def: MessageDef, name: string, row: number): number {
    const col = def.columnOf.get(name);
    return col === undefined ? NaN : (series.num[col]?.[row] ?? NaN);
  }

  private text(series: ColumnBatchBuffer, def: MessageDef, name: string): string {
    const col = def.columnOf.get(name);
    const strings = col === undefined ? undefined : series.text[col - def.numeric.length];
    return strings?.[strings.length - 1] ?? '';
  }

  private onHeartbeat(series: ColumnBatchBuffer, def: MessageDef, row: number, sysid: number): void {
    const type = this.column(series, def, 'type', row);
    const autopilot = this.column(series, def, 'autopilot', row);
    // GCS and peripherals (gimbal, camera) also send heartbeats; only an autopilot describes the vehicle.
    if (autopilot === MAV_AUTOPILOT_INVALID || type === MAV_TYPE_GCS) return;
    this.autopilotBySystem.set(sysid, autopilot);
    const vehicle = `${sysid}/${type}/${autopilot}`;
    if (vehicle === this.lastVehicle) return;
    this.lastVehicle = vehicle;
    this.sink.info('mav_type', type);
    this.sink.info('mav_autopilot', autopilot);
    this.sink.info('mav_sysid', sysid);
  }

  private onStatusText(series: ColumnBatchBuffer, def: MessageDef, row: number, time: number, instance: number): void {
    const severity = this.column(series, def, 'severity', row);
    const chunkId = this.column(series, def, 'id', row);
    const text = this.text(series, def, 'text');
    if (!(chunkId > 0)) {
      this.sink.text({ time, severity, text });
      return;
    }
    // MAVLink 2 splits long texts into 50-char chunks sharing an id; the last one is shorter.
    const key = instance * 65536 + chunkId;
    const pending = this.statusChunks.get(key);
    const joined = pending ? { ...pending, text: pending.text + text } : { time, severity, text };
    if (text.length < STATUSTEXT_CHUNK) {
      this.statusChunks.delete(key);
      this.sink.text(joined);
      return;
    }
    this.statusChunks.set(key, joined);
    if (this.statusChunks.size > MAX_PENDING_STATUSTEXT) {
      const [oldestKey, oldest] = this.statusChunks.entries().next().value!;
      this.statusChunks.delete(oldestKey);
      this.sink.text(oldest);
    }
  }

  private onParamValue(
    series: ColumnBatchBuffer,
    def: MessageDef,
    row: number,
    view: DataView,
    at: number,
    sysid: number,
  ): void {
    const name = this.text(series, def, 'paramId');
    if (name === '') return;
    let value = this.column(series, def, 'paramValue', row);
    const paramType = this.column(series, def, 'paramType', row);
    // PX4 sends integer parameters bit-cast into the float field ("bytewise"); ArduPilot converts them.
    const valueCol = def.columnOf.get('paramValue');
    const offset = valueCol === undefined ? undefined : def.numeric[valueCol]?.offset;
    if (this.autopilotBySystem.get(sysid) === MAV_AUTOPILOT_PX4 && offset !== undefined) {
      const intKind = PARAM_INT_KIND[paramType];
      if (intKind !== undefined) value = readNumericField(view, at + offset, intKind);
    }
    this.sink.parameter(name, value, 'current');
  }
}

/** MAV_PARAM_TYPE 1..6 (UINT8 … INT32) → how the bytes of a bytewise-encoded value read. */
const PARAM_INT_KIND: Record<number, NumericKind> = {
  1: NumericKind.U8,
  2: NumericKind.I8,
  3: NumericKind.U16,
  4: NumericKind.I16,
  5: NumericKind.U32,
  6: NumericKind.I32,
};

function readText(bytes: Uint8Array, at: number, length: number): string {
  let end = at;
  const limit = at + length;
  let ascii = true;
  while (end < limit && bytes[end] !== 0) {
    if (bytes[end]! >= 0x80) ascii = false;
    end++;
  }
  if (ascii) return String.fromCharCode(...bytes.subarray(at, end));
  return UTF8.decode(bytes.subarray(at, end));
}

const UTF8 = new TextDecoder('utf-8');

/** A streaming tlog decoder writing to `sink`. Throws {@link FlightDecodeError} from `end()` if no frame was valid. */
export function createTlogDecoder(sink: LogSink): StreamDecoder {
  return new TlogDecoder(sink);
}
