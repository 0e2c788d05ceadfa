/**
 * Interprets complete, framed ULog messages: definitions (F, I, M, P, Q), subscriptions (A, R), data (D),
 * text (L, C) and dropouts (O). Framing, buffering and resynchronisation live in the stream decoder;
 * this class only sees payloads whose bounds are already checked, so nothing here can read out of range.
 *
 * State kept is what decoding needs, not what the file contains: format definitions, the current
 * subscription table, one buffered {@link SeriesWriter} per series and multi-info values (these last two
 * bounded by {@link MAX_DEFINITION_BYTES} and {@link MAX_BUFFERED_CELLS}).
 */
import { startReaderEpoch } from '../common/column-reader.compiler.js';
import type { LogSink } from '../decoded-log.js';
import { MAX_BUFFERED_CELLS, MAX_DEFINITION_BYTES, MSG } from './ulog-spec.constants.js';
import { compileFormat, FormatError, parseFormatDefinition, type CompiledFormat, type FormatDef } from './ulog-format.compiler.js';
import { parseKeyValue } from './ulog-key-value.parser.js';
import { SeriesWriter } from './ulog-series.writer.js';
import { decodeCString, decodeText } from './ulog-text.decoder.js';

interface Subscription {
  readonly topic: string;
  readonly instance: number;
  /** undefined: not compiled yet; null: compile failed (its data is skipped). */
  format: CompiledFormat | null | undefined;
  writer: SeriesWriter | undefined;
}

const TWO_POW_32 = 4294967296;

/** Log level byte → syslog severity: PX4 writes ASCII '0'..'7'; raw 0..7 is accepted too. */
export function severityOf(level: number): number | undefined {
  if (level >= 0x30 && level <= 0x37) return level - 0x30;
  return level <= 7 ? level : undefined;
}

export class UlogMessageHandler {
  private readonly formats = new Map<string, FormatDef>();
  private readonly compiled = new Map<string, CompiledFormat | null>();
  // Grown on demand: msg_ids are small and dense in practice, and a 65536-slot array per decoder costs more.
  private readonly subs: (Subscription | undefined)[] = [];
  private readonly series = new Map<string, SeriesWriter>();
  private readonly multiInfo = new Map<string, string>();
  private definitionBytes = 0;
  private bufferedCells = 0;
  /** Latest data time seen so far, for dropouts (which carry no timestamp of their own). */
  private lastTime = NaN;

  constructor(
    private readonly sink: LogSink,
    private readonly warn: (offset: number, message: string) => void,
  ) {
    startReaderEpoch(); // column readers count their rows per decode
  }

  /** Whether a 'D' with this msg_id and payload length can be real data (used for framing checks). */
  dataPlausible(msgId: number, payloadLen: number, offset: number): boolean {
    const sub = this.subs[msgId];
    if (!sub) return false;
    const format = this.resolve(sub, offset);
    return format === null || (payloadLen >= format.minSize && payloadLen <= format.size);
  }

  isSubscribed(msgId: number): boolean {
    return this.subs[msgId] !== undefined;
  }

  /** Handles one message; returns false when the payload is malformed (the caller resynchronises). */
  handle(type: number, bytes: Uint8Array, view: DataView, start: number, end: number, offset: number): boolean {
    switch (type) {
      case MSG.DATA:
        return this.data(bytes, view, start, end, offset);
      case MSG.FORMAT:
        return this.format(bytes, start, end, offset);
      case MSG.INFO:
      case MSG.PARAMETER:
      case MSG.PARAMETER_DEFAULT: {
        const kv = parseKeyValue(bytes, view, type === MSG.PARAMETER_DEFAULT ? start + 1 : start, end);
        if (!kv) {
          this.warn(offset, `malformed '${String.fromCharCode(type)}' message skipped`);
          return true;
        }
        if (type === MSG.INFO) this.sink.info(kv.name, kv.value);
        else if (typeof kv.value === 'number') this.sink.parameter(kv.name, kv.value, type === MSG.PARAMETER ? 'current' : 'default');
        else this.warn(offset, `parameter ${kv.name} has non-numeric type ${kv.type}; skipped`);
        return true;
      }
      case MSG.INFO_MULTI:
        return this.multi(bytes, view, start, end, offset);
      case MSG.ADD_SUBSCRIPTION: {
        const name = decodeCString(bytes, start + 3, end);
        if (name === '') return false;
        const msgId = view.getUint16(start + 1, true);
        this.subs[msgId] = { topic: name, instance: bytes[start]!, format: undefined, writer: undefined };
        return true;
      }
      case MSG.REMOVE_SUBSCRIPTION:
        this.subs[view.getUint16(start, true)] = undefined;
        return true;
      case MSG.LOGGING:
      case MSG.LOGGING_TAGGED: {
        const tagged = type === MSG.LOGGING_TAGGED;
        const at = tagged ? start + 3 : start + 1;
        const time = (view.getUint32(at, true) + view.getUint32(at + 4, true) * TWO_POW_32) / 1e6;
        const severity = severityOf(bytes[start]!);
        const text = decodeText(bytes, at + 8, end);
        const message = tagged ? { time, severity, tag: view.getUint16(start + 1, true), text } : { time, severity, text };
        this.sink.text(message);
        return true;
      }
      case MSG.DROPOUT:
        this.sink.dropout({ time: this.lastTime, durationS: view.getUint16(start, true) / 1000 });
        return true;
      default:
        return true; // 'S' sync and anything framing accepted carry nothing to decode
    }
  }

  /** Emits everything still buffered: partial batches and the concatenated multi-info values. */
  finish(): void {
    for (const w of this.series.values()) w.flush(this.sink, true);
    for (const [key, value] of this.multiInfo) this.sink.info(key, value);
  }

  /**
   * Decodes a data message (payload `[start, end)`, all present) if it is plausible in the sense of
   * {@link dataPlausible}; returns false, having written nothing, if it is not. The stream decoder
   * calls this directly for data messages, its hot path, instead of checking and then handling.
   */
  data(bytes: Uint8Array, view: DataView, start: number, end: number, offset: number): boolean {
    const sub = this.subs[view.getUint16(start, true)];
    if (!sub) return false;
    const format = this.resolve(sub, offset);
    if (format === null) return true;
    const payloadLen = end - start - 2;
    if (payloadLen < format.minSize || payloadLen > format.size) return false;
    let writer = sub.writer;
    if (!writer) {
      const key = `${sub.topic}\u0000${sub.instance}`;
      writer = this.series.get(key);
      if (!writer || writer.format !== format) {
        writer?.flush(this.sink, true);
        writer = new SeriesWriter(sub.topic, sub.instance, format);
        this.series.set(key, writer);
        this.sink.schema({ topic: sub.topic, instance: sub.instance, fields: format.fields });
      }
      sub.writer = writer;
    }
    writer.write(view, bytes, start + 2, this.sink);
    const t = writer.lastTime;
    if (t > this.lastTime || (Number.isNaN(this.lastTime) && !Number.isNaN(t))) this.lastTime = t;
    this.bufferedCells += writer.cellsPerRow;
    if (this.bufferedCells > MAX_BUFFERED_CELLS) {
      for (const w of this.series.values()) w.flush(this.sink);
      this.bufferedCells = 0;
    }
    return true;
  }

  private resolve(sub: Subscription, offset: number): CompiledFormat | null {
    if (sub.format !== undefined) return sub.format;
    let format = this.compiled.get(sub.topic);
    if (format === undefined) {
      try {
        format = compileFormat(sub.topic, this.formats);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        this.warn(offset, `topic '${sub.topic}' cannot be decoded: ${error.message}; its data is skipped`);
        format = null;
      }
      this.compiled.set(sub.topic, format);
    }
    sub.format = format;
    return format;
  }

  private format(bytes: Uint8Array, start: number, end: number, offset: number): boolean {
    const def = parseFormatDefinition(decodeCString(bytes, start, end));
    if (!def) {
      this.warn(offset, 'malformed format definition skipped');
      return true;
    }
    if (!this.budget(end - start, offset)) return true;
    this.formats.set(def.name, def);
    this.compiled.clear(); // a redefinition may change any type that nests it
    return true;
  }

  private multi(bytes: Uint8Array, view: DataView, start: number, end: number, offset: number): boolean {
    const kv = parseKeyValue(bytes, view, start + 1, end);
    if (!kv) {
      this.warn(offset, "malformed 'M' message skipped");
      return true;
    }
    const value = String(kv.value);
    if (!this.budget(value.length, offset)) return true;
    // Continued parts of text are glued as written, of numeric arrays with a comma; a new value under
    // a key already seen (e.g. one excluded topic per message) goes on a new line.
    const before = this.multiInfo.get(kv.name);
    const glue = before === undefined ? '' : bytes[start] === 0 ? '\n' : kv.type.startsWith('char') ? '' : ',';
    this.multiInfo.set(kv.name, (before ?? '') + glue + value);
    return true;
  }

  private budget(bytes: number, offset: number): boolean {
    if (this.definitionBytes + bytes > MAX_DEFINITION_BYTES) {
      this.warn(offset, 'definition/multi-info size limit reached; further definitions ignored');
      return false;
    }
    this.definitionBytes += bytes;
    return true;
  }
}
