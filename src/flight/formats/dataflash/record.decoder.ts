/**
 * Decodes framed DataFlash records into series rows and routes the self-describing and metadata
 * messages (FMT, FMTU, UNIT, MULT, PARM, MSG, VER) to the sink.
 *
 * The hot path ({@link RecordDecoder.decode}) reads every numeric field through one DataView over the
 * current chunk into preallocated Float64Array columns with the reader compiled for the record's
 * {@link RecordPlan}; no object is created per record. Records without a time column (FMT, PARM and
 * MSG in 2014-era logs, MODE/EV/ERR in 3.3-era copter logs, replay messages) take the last time seen
 * on any record, or NaN before the first one.
 */
import { ColumnBatchBuffer } from '../common/column-batch.buffer.js';
import { startReaderEpoch } from '../common/column-reader.compiler.js';
import { readNumericField } from '../common/numeric-field.reader.js';
import type { LogSink } from '../decoded-log.js';
import { parseFirmwareBanner, parseFrameBanner } from './firmware-string.parser.js';
import {
  FMT_ID,
  FMT_LENGTH,
  STRUCTURAL_MESSAGES,
  parseFmtRecord,
  sameDefinition,
  type RecordLayout,
  type RecordPlan,
} from './record-layout.compiler.js';
import {
  SPECIALS,
  SPECIAL_FMTU,
  SPECIAL_MSG,
  SPECIAL_MULT,
  SPECIAL_NONE,
  SPECIAL_PARM,
  SPECIAL_UNIT,
  SPECIAL_VER,
  specialOffsets,
  type SpecialOffsets,
} from './metadata-fields.table.js';
import { planFor } from './record-plan.cache.js';
import { decodeTextField } from './text-field.codec.js';

/** Local copy: imported bindings can cost a getter call per use under some loaders (tsx). */
const FMT_TYPE = 128;

/** Instances below this index are looked up in an array; others (rare) in a map. */
const DIRECT_INSTANCES = 256;

/** Rows per emitted batch, and the first block of a series (it doubles up to a batch). */
const BATCH_ROWS = 4096;
const INITIAL_ROWS = 64;

interface Binding {
  readonly layout: RecordLayout;
  /** Undefined for opaque layouts (framed but not decoded). */
  readonly plan: RecordPlan | undefined;
  readonly topic: string;
  readonly emit: boolean;
  readonly special: number;
  readonly direct: (ColumnBatchBuffer | undefined)[];
  readonly other: Map<number, ColumnBatchBuffer>;
  readonly offsets: SpecialOffsets;
}

/** The built-in FMT layout: every DataFlash log describes FMT identically, so it is not trusted from the log. */
export const FMT_LAYOUT: RecordLayout = {
  id: FMT_ID,
  name: 'FMT',
  length: FMT_LENGTH,
  format: 'BBnNZ',
  labels: 'Type,Length,Name,Format,Columns',
  fields: undefined,
  unitIds: undefined,
  multIds: undefined,
  plan: undefined,
};

export class RecordDecoder {
  /** Layouts by message id; index 128 is always the built-in FMT. */
  readonly layouts: (RecordLayout | undefined)[] = new Array<RecordLayout | undefined>(256).fill(undefined);
  private readonly bindings: (Binding | undefined)[] = new Array<Binding | undefined>(256).fill(undefined);
  private readonly units = new Map<string, string>();
  private readonly mults = new Map<string, number>();
  private readonly pendingFmtu = new Map<number, { unitIds: string; multIds: string }>();
  private readonly series = new Map<string, ColumnBatchBuffer>();
  private readonly topicSignatures = new Map<string, string>();
  private lastTime = NaN;
  /** A text field the metadata handler already decoded for the current record (avoids decoding twice). */
  private reusedTextAt = -1;
  private reusedText = '';

  constructor(
    private readonly sink: LogSink,
    private readonly warn: (offset: number, message: string) => void,
  ) {
    this.layouts[FMT_ID] = FMT_LAYOUT;
    startReaderEpoch(); // column readers count their rows per decode
  }

  /** Decodes the record at `p` (its full declared length is present); `fileOffset` is for warnings. */
  decode(layout: RecordLayout, b: Uint8Array, dv: DataView, p: number, fileOffset: number): void {
    if (layout.id === FMT_TYPE) {
      this.onFmt(b, p, fileOffset);
      return;
    }
    const bind = this.bindings[layout.id] ?? this.bind(layout);
    const plan = bind.plan;
    if (plan === undefined) return;
    let t = this.lastTime;
    if (plan.timeCode >= 0) {
      t = readNumericField(dv, p + plan.timeOffset, plan.timeCode) / plan.timeDivisor;
      this.lastTime = t;
    }
    if (bind.special !== 0) {
      this.onSpecial(bind, b, dv, p, t, fileOffset);
      if (!bind.emit) {
        this.reusedTextAt = -1;
        return;
      }
    }
    let s: ColumnBatchBuffer | undefined;
    if (plan.instanceCode < 0) s = bind.direct[0];
    else {
      const inst = readNumericField(dv, p + plan.instanceOffset, plan.instanceCode);
      s = inst >= 0 && inst < DIRECT_INSTANCES ? bind.direct[inst] : bind.other.get(inst);
      if (s === undefined) s = this.seriesFor(bind, plan, inst);
    }
    if (s === undefined) s = this.seriesFor(bind, plan, 0);
    // The buffer's block is column-major: time at [0, cap), numeric column k at [(k+1)·cap, (k+2)·cap).
    const row = s.rows;
    const cap = s.capacity;
    const d = s.block;
    d[row] = t;
    plan.reader.read(dv, b, p, d, cap + row, cap, plan.numScales, plan.numDivisors);
    const textOffsets = plan.textOffsets;
    if (textOffsets.length > 0) {
      for (let k = 0; k < textOffsets.length; k++) {
        const at = p + textOffsets[k]!;
        s.text[k]!.push(at === this.reusedTextAt ? this.reusedText : decodeTextField(b, at, plan.textSizes[k]!));
      }
    }
    this.reusedTextAt = -1;
    s.rows = row + 1;
    if (s.rows === s.capacity) s.full(this.sink);
  }

  /** Flushes every series; called once at end of input. */
  finish(): void {
    for (const s of this.series.values()) s.flush(this.sink, true);
  }

  private bind(layout: RecordLayout): Binding {
    const plan = layout.fields === undefined ? undefined : planFor(layout, this.units, this.mults);
    layout.plan = plan;
    const special = SPECIALS.get(layout.name) ?? SPECIAL_NONE;
    const binding: Binding = {
      layout,
      plan,
      topic: plan ? this.topicFor(layout.name, plan.signature) : layout.name,
      emit: !STRUCTURAL_MESSAGES.has(layout.name),
      special,
      direct: [],
      other: new Map(),
      offsets: specialOffsets(layout, special),
    };
    this.bindings[layout.id] = binding;
    return binding;
  }

  /** A message name keeps one schema; a conflicting redefinition gets `NAME.2`, `NAME.3`, … */
  private topicFor(name: string, signature: string): string {
    for (let k = 1; ; k++) {
      const topic = k === 1 ? name : `${name}.${k}`;
      const known = this.topicSignatures.get(topic);
      if (known === undefined) {
        this.topicSignatures.set(topic, signature);
        return topic;
      }
      if (known === signature) return topic;
    }
  }

  private seriesFor(bind: Binding, plan: RecordPlan, instance: number): ColumnBatchBuffer {
    const key = `${bind.topic}\u0000${instance}`;
    let s = this.series.get(key);
    if (s === undefined) {
      s = new ColumnBatchBuffer(bind.topic, instance, plan.isText, {
        initialRows: INITIAL_ROWS,
        batchRows: BATCH_ROWS,
        growth: 'copy',
        schema: plan.fields,
      });
      this.series.set(key, s);
    }
    if (instance >= 0 && instance < DIRECT_INSTANCES && Number.isInteger(instance)) bind.direct[instance] = s;
    else bind.other.set(instance, s);
    return s;
  }

  private onFmt(b: Uint8Array, p: number, fileOffset: number): void {
    const result = parseFmtRecord(b, p);
    for (const problem of result.problems) this.warn(fileOffset, problem);
    const layout = result.layout;
    if (layout === undefined) return;
    if (layout.id === FMT_ID) {
      if (!sameDefinition(layout, { ...FMT_LAYOUT, labels: layout.labels })) {
        this.warn(fileOffset, `FMT redefines FMT itself as '${layout.format}' length ${layout.length}; ignored`);
      }
      return;
    }
    const existing = this.layouts[layout.id];
    if (existing !== undefined && sameDefinition(existing, layout)) return;
    if (existing !== undefined) {
      this.warn(
        fileOffset,
        `FMT redefines type ${layout.id} from ${existing.name} '${existing.format}' to ${layout.name} '${layout.format}'`,
      );
    }
    this.layouts[layout.id] = layout;
    this.bindings[layout.id] = undefined;
    const pending = this.pendingFmtu.get(layout.id);
    if (pending !== undefined) {
      layout.unitIds = pending.unitIds;
      layout.multIds = pending.multIds;
      this.pendingFmtu.delete(layout.id);
    }
  }

  private onSpecial(bind: Binding, b: Uint8Array, dv: DataView, p: number, t: number, fileOffset: number): void {
    const at = bind.offsets;
    switch (bind.special) {
      case SPECIAL_PARM: {
        if (at.text0 < 0 || at.num0 < 0) return;
        const name = this.rememberText(b, p + at.text0, at.size0);
        if (name === '') return;
        this.sink.parameter(name, dv.getFloat32(p + at.num0, true), 'current');
        if (at.num1 >= 0) {
          const d = dv.getFloat32(p + at.num1, true);
          if (Number.isFinite(d)) this.sink.parameter(name, d, 'default');
        }
        return;
      }
      case SPECIAL_MSG:
      case SPECIAL_VER: {
        if (at.text0 < 0) return;
        const message = this.rememberText(b, p + at.text0, at.size0);
        if (bind.special === SPECIAL_MSG) this.sink.text({ time: t, text: message });
        this.noteBanner(message);
        return;
      }
      case SPECIAL_FMTU:
        if (at.num0 < 0 || at.text0 < 0 || at.text1 < 0) return;
        this.onFmtu(
          b[p + at.num0]!,
          decodeTextField(b, p + at.text0, at.size0),
          decodeTextField(b, p + at.text1, at.size1),
          fileOffset,
        );
        return;
      case SPECIAL_UNIT:
        if (at.num0 >= 0 && at.text0 >= 0) {
          this.units.set(String.fromCharCode(b[p + at.num0]!), decodeTextField(b, p + at.text0, at.size0));
        }
        return;
      case SPECIAL_MULT:
        if (at.num0 >= 0 && at.num1 >= 0) this.mults.set(String.fromCharCode(b[p + at.num0]!), dv.getFloat64(p + at.num1, true));
        return;
    }
  }

  private rememberText(b: Uint8Array, at: number, size: number): string {
    this.reusedTextAt = at;
    this.reusedText = decodeTextField(b, at, size);
    return this.reusedText;
  }

  private onFmtu(type: number, unitIds: string, multIds: string, fileOffset: number): void {
    const layout = this.layouts[type];
    if (layout === undefined || type === FMT_ID) {
      if (type !== FMT_ID) this.pendingFmtu.set(type, { unitIds, multIds });
      return;
    }
    const bound = this.bindings[type];
    if (bound?.plan === undefined) {
      layout.unitIds = unitIds;
      layout.multIds = multIds;
      return;
    }
    // Data of this type was already decoded: keep its schema unless FMTU changes nothing.
    const candidate = planFor({ ...layout, unitIds, multIds }, this.units, this.mults);
    if (candidate.signature !== bound.plan.signature) {
      this.warn(fileOffset, `FMTU for ${layout.name} arrived after its first record; units/instances not applied`);
    }
  }

  private noteBanner(message: string): void {
    const banner = parseFirmwareBanner(message);
    if (banner !== undefined) {
      this.sink.info('firmware', banner.firmware);
      this.sink.info('vehicle', banner.vehicle);
      this.sink.info('vehicle_type', banner.vehicleType);
      this.sink.info('firmware_version', banner.version);
      if (banner.gitHash !== undefined) this.sink.info('firmware_git_hash', banner.gitHash);
      return;
    }
    const frame = parseFrameBanner(message);
    if (frame !== undefined) this.sink.info('frame', frame);
  }
}
