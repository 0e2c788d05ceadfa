/**
 * MAVLink message definitions, compiled once from the `mavlink-mappings` package (minimal, common and
 * ardupilotmega dialects) into flat read plans the decoder executes per frame.
 *
 * Field names are the package's (camelCase, e.g. `voltageBattery` for the XML `voltage_battery`):
 * converting back to snake_case is lossy for names such as `ICAOAddress` or `flowCompMX`, so we keep
 * one unambiguous spelling. Arrays are flattened to `name[i]`; `char[N]` becomes one string field.
 */
import { ardupilotmega, common, minimal } from 'mavlink-mappings';
import { NUMERIC_KIND_SIZE, NumericKind } from '../common/numeric-field.reader.js';
import type { FieldMeta } from '../decoded-log.js';

export interface NumericRead {
  readonly offset: number;
  readonly kind: NumericKind;
}

export interface StringRead {
  readonly offset: number;
  readonly length: number;
}

export interface MessageDef {
  readonly id: number;
  readonly name: string;
  readonly crcExtra: number;
  /** Full payload length including extension fields; shorter payloads are zero-extended to it. */
  readonly payloadLength: number;
  /** Payload length without extension fields: what a MAVLink 1 frame carries. */
  readonly baseLength: number;
  /** Schema fields in column order: numeric reads first, then string reads. */
  readonly fields: readonly FieldMeta[];
  readonly numeric: readonly NumericRead[];
  readonly strings: readonly StringRead[];
  /** Field name → column index, for the few messages the decoder interprets (HEARTBEAT, …). */
  readonly columnOf: ReadonlyMap<string, number>;
}

interface PackageField {
  readonly name: string;
  readonly type: string;
  readonly length: number;
  readonly offset: number;
  readonly size: number;
  readonly extension: boolean;
}

interface PackageMessage {
  readonly MSG_ID: number;
  readonly MSG_NAME: string;
  readonly PAYLOAD_LENGTH: number;
  readonly MAGIC_NUMBER: number;
  readonly FIELDS: readonly PackageField[];
}

const KIND_OF: Record<string, NumericKind> = {
  uint8_t: NumericKind.U8,
  uint8_t_mavlink_version: NumericKind.U8,
  int8_t: NumericKind.I8,
  uint16_t: NumericKind.U16,
  int16_t: NumericKind.I16,
  uint32_t: NumericKind.U32,
  int32_t: NumericKind.I32,
  float: NumericKind.F32,
  double: NumericKind.F64,
  uint64_t: NumericKind.U64,
  int64_t: NumericKind.I64,
};

function compile(message: PackageMessage): MessageDef {
  const numericFields: FieldMeta[] = [];
  const stringFields: FieldMeta[] = [];
  const numeric: NumericRead[] = [];
  const strings: StringRead[] = [];
  for (const field of message.FIELDS) {
    const isArray = field.type.endsWith('[]');
    const base = isArray ? field.type.slice(0, -2) : field.type;
    if (base === 'char') {
      stringFields.push({ name: field.name, sourceType: `char[${field.length || 1}]` });
      strings.push({ offset: field.offset, length: Math.max(1, field.length) });
      continue;
    }
    const kind = KIND_OF[base];
    if (kind === undefined)
      throw new Error(`mavlink-mappings: unknown field type ${field.type} in ${message.MSG_NAME}`);
    if (!isArray) {
      numericFields.push({ name: field.name, sourceType: base });
      numeric.push({ offset: field.offset, kind });
      continue;
    }
    for (let i = 0; i < field.length; i++) {
      numericFields.push({ name: `${field.name}[${i}]`, sourceType: base });
      numeric.push({ offset: field.offset + i * NUMERIC_KIND_SIZE[kind], kind });
    }
  }
  const fields = [...numericFields, ...stringFields];
  let baseLength = 0;
  for (const field of message.FIELDS) {
    if (!field.extension)
      baseLength = Math.max(baseLength, field.offset + field.size * Math.max(1, field.length));
  }
  return {
    id: message.MSG_ID,
    name: message.MSG_NAME,
    crcExtra: message.MAGIC_NUMBER,
    payloadLength: message.PAYLOAD_LENGTH,
    baseLength,
    fields,
    numeric,
    strings,
    columnOf: new Map(fields.map((f, i) => [f.name, i])),
  };
}

function buildRegistry(): ReadonlyMap<number, MessageDef> {
  const registry = new Map<number, MessageDef>();
  // Later dialects include earlier ones; ardupilotmega last so its definitions win on conflict.
  for (const dialect of [minimal.REGISTRY, common.REGISTRY, ardupilotmega.REGISTRY]) {
    for (const message of Object.values(dialect) as unknown as PackageMessage[]) {
      registry.set(message.MSG_ID, compile(message));
    }
  }
  return registry;
}

/** Every known message, by id. */
export const MAVLINK_MESSAGES: ReadonlyMap<number, MessageDef> = buildRegistry();

/** Longest payload of any known message: the size of the decoder's zero-extension scratch buffer. */
export const MAX_PAYLOAD = 255;

export function messageByName(name: string): MessageDef | undefined {
  for (const def of MAVLINK_MESSAGES.values()) if (def.name === name) return def;
  return undefined;
}
