import type { ColumnBatch, Completeness, DecodeWarning, Dropout, LogFormat, LogSink, LogText, SeriesSchema } from '../formats/decoded-log.js';

/** What `skyguard flight inspect` reports about one log. */
export interface LogInspection {
  readonly format: LogFormat;
  readonly formatVersion: string;
  readonly completeness: Completeness;
  readonly bytes: number;
  /** Firmware, hardware and vehicle metadata the log declares (info keys and the parameters that name the airframe). */
  readonly vehicleHints: Readonly<Record<string, string | number>>;
  readonly startS: number | null;
  readonly endS: number | null;
  readonly durationS: number | null;
  readonly topics: readonly { topic: string; instance: number; fields: number; records: number; firstS: number | null; lastS: number | null }[];
  readonly parameters: number;
  readonly messages: number;
  /** Logged texts at warning severity or worse (≤ 4), first 20. */
  readonly notableMessages: readonly { timeS: number | null; severity: number | null; text: string }[];
  readonly dropouts: { readonly count: number; readonly totalS: number };
  readonly warnings: { readonly count: number; readonly first: readonly DecodeWarning[] };
}

const HINT_INFO = /^(sys_name|ver_hw|ver_hw_subtype|ver_sw|ver_sw_release|sys_toolchain|firmware|firmware_version|vehicle|vehicle_type|frame|mav_type|mav_autopilot|sys_uuid)$/;
const HINT_PARAMS = new Set(['MAV_TYPE', 'SYS_AUTOSTART', 'VT_TYPE', 'CA_AIRFRAME', 'FRAME_CLASS', 'FRAME_TYPE', 'Q_ENABLE', 'SYSID_SW_TYPE', 'Q_FRAME_CLASS']);
const KEEP = 20;
const finite = (t: number): number | null => (Number.isFinite(t) ? t : null);

interface SeriesStats {
  schema: SeriesSchema;
  records: number;
  first: number;
  last: number;
}

/**
 * A sink that keeps only counts, time ranges and metadata, so a log of any size is inspected in
 * bounded memory. Duration: from the earliest positive timestamp to the latest, ignoring series
 * whose clock is off by orders of magnitude (a message stamped with UTC among boot-time stamps,
 * timestamps logged as 0). Where the log declares its start (ULog header), that is the start, as in
 * pyulog; @foxglove/ulog's timeRange() does neither and reports 181 s for a 69 s log.
 */
export class InspectionSink implements LogSink {
  private format: LogFormat = 'ulog';
  private formatVersion = '';
  private readonly hints: Record<string, string | number> = {};
  private readonly series = new Map<string, SeriesStats>();
  private params = 0;
  private texts = 0;
  private readonly notable: LogInspection['notableMessages'][number][] = [];
  private readonly drops = { count: 0, totalS: 0 };
  private warningCount = 0;
  /** ULog headers state when logging started; stale messages can carry older stamps. */
  private declaredStart: number | undefined;
  private readonly firstWarnings: DecodeWarning[] = [];

  header(info: { format: LogFormat; formatVersion: string }): void {
    this.format = info.format;
    this.formatVersion = info.formatVersion;
  }
  info(key: string, value: string | number): void {
    if (key === 'start_time_s' && typeof value === 'number') this.declaredStart = value;
    if (HINT_INFO.test(key)) this.hints[key] = value;
  }
  parameter(name: string, value: number, kind: 'current' | 'default'): void {
    if (kind !== 'current') return;
    this.params++;
    if (HINT_PARAMS.has(name)) this.hints[name] = value;
  }
  schema(schema: SeriesSchema): void {
    const id = `${schema.topic}\u0000${schema.instance}`;
    if (!this.series.has(id)) this.series.set(id, { schema, records: 0, first: Infinity, last: -Infinity });
  }
  batch(b: ColumnBatch): void {
    const s = this.series.get(`${b.topic}\u0000${b.instance}`);
    if (!s) return;
    s.records += b.timestamps.length;
    for (const t of b.timestamps) {
      if (!(t > 0) || !Number.isFinite(t)) continue;
      if (t < s.first) s.first = t;
      if (t > s.last) s.last = t;
    }
  }
  text(m: LogText): void {
    this.texts++;
    if (m.severity !== undefined && m.severity <= 4 && this.notable.length < KEEP) {
      this.notable.push({ timeS: finite(m.time), severity: m.severity, text: m.text });
    }
  }
  dropout(d: Dropout): void {
    this.drops.count++;
    this.drops.totalS += d.durationS;
  }
  warning(w: DecodeWarning): void {
    this.warningCount++;
    if (this.firstWarnings.length < KEEP) this.firstWarnings.push(w);
  }

  result(end: { completeness: Completeness; bytesRead: number }, bytes: number): LogInspection {
    const stats = [...this.series.values()];
    const timed = stats.filter((s) => s.last >= s.first);
    const lasts = timed.map((s) => s.last).sort((a, b) => a - b);
    const median = lasts[Math.floor(lasts.length / 2)];
    const sane = median === undefined ? [] : timed.filter((s) => s.last <= median * 10 + 3600 && s.first >= median / 1000);
    const earliest = sane.length ? Math.min(...sane.map((s) => s.first)) : null;
    const start = earliest === null ? null : this.declaredStart !== undefined && this.declaredStart > earliest ? this.declaredStart : earliest;
    const endS = sane.length ? Math.max(...sane.map((s) => s.last)) : null;
    return {
      format: this.format,
      formatVersion: this.formatVersion,
      completeness: end.completeness,
      bytes,
      vehicleHints: this.hints,
      startS: start,
      endS,
      durationS: start !== null && endS !== null ? endS - start : null,
      topics: stats
        .map((s) => ({
          topic: s.schema.topic, instance: s.schema.instance, fields: s.schema.fields.length, records: s.records,
          firstS: s.last >= s.first ? s.first : null, lastS: s.last >= s.first ? s.last : null,
        }))
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.instance - b.instance),
      parameters: this.params,
      messages: this.texts,
      notableMessages: this.notable,
      dropouts: this.drops,
      warnings: { count: this.warningCount, first: this.firstWarnings },
    };
  }
}
