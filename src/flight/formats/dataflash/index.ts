/**
 * ArduPilot DataFlash (.BIN) decoder: streaming, columnar, tolerant of truncation, flash padding and
 * corrupt regions, for 2014-era (3.1–3.3, TimeMS, no FMTU) and modern (4.x, TimeUS, FMTU) logs.
 *
 * What consumers can rely on:
 * - One series per message name and instance. The instance comes from the FMTU `#` column, or in
 *   logs without FMTU from a first data column named I/Instance/Inst/C/Core; it stays a column too.
 *   A name redefined with a different layout gets topic `NAME.2`.
 * - Timestamps: TimeUS ÷ 1e6, TimeMS ÷ 1e3, or `T` (ms) for 2014 GPS whose TimeMS is GPS time of
 *   week; the time column itself is not repeated as a data column. Records without a time column
 *   (FMT, 2014 PARM/MSG, 3.3 MODE/EV/ERR, replay messages) take the last time seen, NaN before any.
 * - Values are scaled: `c C e E` ÷ 100, `L` ÷ 1e7, and in FMTU logs other numeric fields by their
 *   FMTU multiplier so they are in `FieldMeta.unit` (e.g. 4.x BAT.CurrTot mAh → Ah, MAG mGauss →
 *   Gauss, GPA.SMS ms → s). Logs without FMTU keep raw values and no units.
 * - FMT/FMTU/UNIT/MULT are consumed, not emitted. PARM and MSG are emitted as series and also as
 *   `parameter` (plus `default` where PARM has a Default column) and `text`. Firmware banners in MSG
 *   or VER set info `firmware`, `vehicle`, `vehicle_type`, `firmware_version`, `firmware_git_hash`;
 *   "Frame: …" sets `frame`. `formatVersion` is `binary`; `bytesRead` counts every byte pushed.
 *
 * See `dataflash-stream.decoder.ts` for framing and damage rules.
 */
import { collectDecodedLog } from '../collect.js';
import type { DecodedLog, LogSink, StreamDecoder } from '../decoded-log.js';
import { DataflashStreamDecoder } from './dataflash-stream.decoder.js';

/**
 * Creates a decoder that emits to `sink` as bytes are pushed. It retains only the unconsumed tail of
 * the last chunk, so a log of any size decodes in memory bounded by the sink.
 */
export function createDataflashDecoder(sink: LogSink): StreamDecoder {
  return new DataflashStreamDecoder(sink);
}

/** Decodes a whole in-memory log. Throws only {@link FlightDecodeError} (bad magic, < 3 bytes). */
export function decodeDataflash(bytes: Uint8Array): DecodedLog {
  return collectDecodedLog(createDataflashDecoder, bytes);
}
