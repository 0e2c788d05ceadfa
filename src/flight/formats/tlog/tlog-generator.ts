/**
 * Writes tlog bytes: a MAVLink v1/v2 encoder over the same compiled definitions and CRC the decoder
 * uses, plus a seeded generator of plausible telemetry. Used by tests, the fuzzer and the benchmark;
 * there is no real tlog in the shared data set.
 */
import { Prng } from '../fuzz/prng.js';
import { CRC_INIT, crc16Byte, crc16Update } from './mavlink-crc.checksum.js';
import { NumericKind } from '../common/numeric-field.reader.js';
import { messageByName, type MessageDef } from './mavlink-dialect.js';
import { INCOMPAT_SIGNED, MAGIC_V1, MAGIC_V2, SIGNATURE_BYTES } from './tlog-frame.parser.js';

/** Field values by flattened schema name (`q[0]`, `text`); missing fields encode as zero. */
export type FieldValues = Readonly<Record<string, number | string>>;

export interface FrameOptions {
  readonly version: 1 | 2;
  readonly sysid: number;
  readonly compid: number;
  readonly seq?: number;
  /** MAVLink 2 only: append a (random, unverified) 13-byte signature and set the incompat flag. */
  readonly signature?: Uint8Array;
}

export function encodePayload(def: MessageDef, values: FieldValues): Uint8Array {
  const payload = new Uint8Array(def.payloadLength);
  const view = new DataView(payload.buffer);
  def.numeric.forEach((read, i) => {
    const raw = values[def.fields[i]!.name];
    const value = typeof raw === 'number' ? raw : 0;
    writeNumber(view, read.offset, read.kind, value);
  });
  def.strings.forEach((read, i) => {
    const raw = values[def.fields[def.numeric.length + i]!.name];
    const text = new TextEncoder().encode(typeof raw === 'string' ? raw : '');
    payload.set(text.subarray(0, read.length), read.offset);
  });
  return payload;
}

function writeNumber(view: DataView, at: number, kind: NumericKind, value: number): void {
  switch (kind) {
    case NumericKind.U8:
    case NumericKind.I8:
      return view.setUint8(at, value & 0xff);
    case NumericKind.U16:
    case NumericKind.I16:
      return view.setUint16(at, value & 0xffff, true);
    case NumericKind.U32:
    case NumericKind.I32:
      return view.setUint32(at, value >>> 0, true);
    case NumericKind.F32:
      return view.setFloat32(at, value, true);
    case NumericKind.F64:
      return view.setFloat64(at, value, true);
    case NumericKind.U64:
      return view.setBigUint64(at, BigInt(Math.trunc(value)), true);
    case NumericKind.I64:
      return view.setBigInt64(at, BigInt(Math.trunc(value)), true);
  }
}

/** One MAVLink frame (no tlog timestamp). v2 payloads have trailing zeros truncated, as the spec requires. */
export function encodeFrame(def: MessageDef, values: FieldValues, options: FrameOptions): Uint8Array {
  const full = encodePayload(def, values);
  let payload: Uint8Array;
  if (options.version === 1) {
    payload = full.subarray(0, def.baseLength);
  } else {
    let len = full.length;
    while (len > 1 && full[len - 1] === 0) len--;
    payload = full.subarray(0, len);
  }
  const header =
    options.version === 1
      ? [MAGIC_V1, payload.length, options.seq ?? 0, options.sysid, options.compid, def.id & 0xff]
      : [
          MAGIC_V2,
          payload.length,
          options.signature ? INCOMPAT_SIGNED : 0,
          0,
          options.seq ?? 0,
          options.sysid,
          options.compid,
          def.id & 0xff,
          (def.id >> 8) & 0xff,
          (def.id >> 16) & 0xff,
        ];
  const sigLength = options.version === 2 && options.signature ? SIGNATURE_BYTES : 0;
  const frame = new Uint8Array(header.length + payload.length + 2 + sigLength);
  frame.set(header, 0);
  frame.set(payload, header.length);
  const crcAt = header.length + payload.length;
  const crc = crc16Byte(crc16Update(CRC_INIT, frame, 1, crcAt), def.crcExtra);
  frame[crcAt] = crc & 0xff;
  frame[crcAt + 1] = crc >> 8;
  if (sigLength > 0) frame.set(options.signature!.subarray(0, SIGNATURE_BYTES), crcAt + 2);
  return frame;
}

/** Prefixes a frame with its tlog timestamp (µs since the UNIX epoch, big-endian). */
export function encodeRecord(timeUs: number, frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + frame.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.round(timeUs)), false);
  out.set(frame, 8);
  return out;
}

export interface GeneratedRecord {
  readonly name: string;
  readonly instance: number;
  readonly timeUs: number;
  readonly version: 1 | 2;
  readonly values: FieldValues;
}

export interface GeneratedTlog {
  readonly bytes: Uint8Array;
  readonly records: readonly GeneratedRecord[];
}

export interface GenerateOptions {
  readonly seed: number;
  /** Seconds of telemetry; ATTITUDE is written at 10 Hz, so about 25 records per second in all. */
  readonly seconds?: number;
  /** Share of frames written as MAVLink 2 (the rest v1, except v2-only messages). */
  readonly v2Share?: number;
  readonly startUs?: number;
}

const VEHICLE = { sysid: 1, compid: 1 };
const GCS = { sysid: 255, compid: 190 };

function def(name: string): MessageDef {
  const found = messageByName(name);
  if (!found) throw new Error(`mavlink-mappings has no ${name}`);
  return found;
}

/**
 * A seeded ArduCopter-like telemetry stream: vehicle and GCS heartbeats at 1 Hz, ATTITUDE at 10 Hz,
 * GLOBAL_POSITION_INT and SYS_STATUS at 5 Hz, a few PARAM_VALUEs and STATUSTEXTs, some frames signed.
 */
export function generateTlog(options: GenerateOptions): GeneratedTlog {
  const rng = new Prng(options.seed);
  const seconds = options.seconds ?? 10;
  const v2Share = options.v2Share ?? 0.5;
  const startUs = options.startUs ?? 1_700_000_000_000_000 + rng.int(1_000_000_000);
  const records: GeneratedRecord[] = [];
  const parts: Uint8Array[] = [];
  let seq = 0;
  const add = (
    name: string,
    timeUs: number,
    who: { sysid: number; compid: number },
    values: FieldValues,
  ): void => {
    const d = def(name);
    const version: 1 | 2 = d.id > 255 || rng.chance(v2Share) ? 2 : 1;
    const signature = version === 2 && rng.chance(0.1) ? rng.bytes(SIGNATURE_BYTES) : undefined;
    const frame = encodeFrame(d, values, { version, ...who, seq: seq++ & 0xff, signature });
    parts.push(encodeRecord(timeUs, frame));
    const kept = version === 1 ? withoutExtensions(d, values) : values;
    records.push({ name, instance: who.sysid * 256 + who.compid, timeUs, version, values: kept });
  };
  const params = ['ATC_RAT_RLL_P', 'ATC_RAT_PIT_P', 'BATT_CAPACITY', 'FRAME_CLASS', 'MOT_SPIN_MIN'];
  params.forEach((paramId, i) =>
    add('PARAM_VALUE', startUs + i * 1000, VEHICLE, {
      paramId,
      paramValue: Math.fround(rng.next() * 10),
      paramType: 9,
      paramCount: params.length,
      paramIndex: i,
    }),
  );
  for (let tick = 0; tick < seconds * 10; tick++) {
    const t = startUs + 10_000 + tick * 100_000 + rng.int(2000);
    if (tick % 10 === 0) {
      add('HEARTBEAT', t, VEHICLE, {
        type: 2,
        autopilot: 3,
        baseMode: 81,
        customMode: rng.int(20),
        systemStatus: 4,
        mavlinkVersion: 3,
      });
      add('HEARTBEAT', t + 50, GCS, { type: 6, autopilot: 8, mavlinkVersion: 3 });
    }
    add('ATTITUDE', t + 100, VEHICLE, {
      timeBootMs: tick * 100,
      roll: Math.fround((rng.next() - 0.5) * 0.4),
      pitch: Math.fround((rng.next() - 0.5) * 0.4),
      yaw: Math.fround(rng.next() * 6.28),
      rollspeed: Math.fround(rng.next() - 0.5),
      pitchspeed: 0,
      yawspeed: Math.fround(rng.next() - 0.5),
    });
    if (tick % 2 === 0) {
      add('GLOBAL_POSITION_INT', t + 200, VEHICLE, {
        timeBootMs: tick * 100,
        lat: 473977420 + rng.int(1000),
        lon: 85455940 + rng.int(1000),
        alt: 500000 + rng.int(20000),
        relativeAlt: rng.int(20000),
        vx: rng.range(-500, 500),
        vy: rng.range(-500, 500),
        vz: rng.range(-100, 100),
        hdg: rng.int(36000),
      });
      add('SYS_STATUS', t + 300, VEHICLE, {
        voltageBattery: 16000 - tick,
        currentBattery: rng.range(500, 3000),
        batteryRemaining: Math.max(0, 100 - (tick >> 3)),
        load: rng.int(1000),
      });
    }
    if (rng.chance(0.02)) {
      add('STATUSTEXT', t + 400, VEHICLE, { severity: rng.int(8), text: `event ${tick} ${rng.int(1e6)}` });
    }
  }
  const total = parts.reduce((n, part) => n + part.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, records };
}

function withoutExtensions(d: MessageDef, values: FieldValues): FieldValues {
  const kept: Record<string, number | string> = {};
  d.fields.forEach((field, i) => {
    const offset = i < d.numeric.length ? d.numeric[i]!.offset : d.strings[i - d.numeric.length]!.offset;
    const value = values[field.name];
    if (offset < d.baseLength && value !== undefined) kept[field.name] = value;
  });
  return kept;
}
