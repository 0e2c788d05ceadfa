/**
 * Builds small ULog files byte by byte for tests, so each spec feature (nested types, padding,
 * multi_id, appended data, flags) and each kind of damage can be exercised without a real log.
 * Test-only; not exported from the folder's index.
 */

/** Little-endian byte writer. */
export class LeBytes {
  private readonly out: number[] = [];

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(Math.floor(v / 65536) & 0xffff);
  }
  /** Unsigned 64-bit from a safe integer. */
  u64(v: number): this {
    return this.u32(v % 4294967296).u32(Math.floor(v / 4294967296));
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.raw(b);
  }
  f64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.raw(b);
  }
  str(s: string): this {
    return this.raw(new TextEncoder().encode(s));
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.out.push(bytes[i]! & 0xff);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

const ch = (c: string): number => c.charCodeAt(0);

/** Appends ULog messages to a file in order. Every method returns `this` for chaining. */
export class UlogBuilder {
  readonly file = new LeBytes();

  constructor(version = 1, startUs = 1_000_000) {
    this.file.raw([0x55, 0x4c, 0x6f, 0x67, 0x01, 0x12, 0x35]).u8(version).u64(startUs);
  }

  /** Current file length: the offset the next message will start at. */
  get offset(): number {
    return this.file.length;
  }

  message(type: string, payload: Uint8Array | LeBytes): this {
    const body = payload instanceof LeBytes ? payload.bytes() : payload;
    this.file.u16(body.length).u8(ch(type)).raw(body);
    return this;
  }
  flagBits(incompat: number[] = [], appendedOffsets: number[] = []): this {
    const p = new LeBytes().raw(new Array<number>(8).fill(0));
    for (let i = 0; i < 8; i++) p.u8(incompat[i] ?? 0);
    for (let i = 0; i < 3; i++) p.u64(appendedOffsets[i] ?? 0);
    return this.message('B', p);
  }
  format(text: string): this {
    return this.message('F', new LeBytes().str(text));
  }
  private keyed(type: string, prefix: number[], key: string, value: LeBytes): this {
    const k = new TextEncoder().encode(key);
    return this.message(type, new LeBytes().raw(prefix).u8(k.length).raw(k).raw(value.bytes()));
  }
  info(key: string, value: LeBytes): this {
    return this.keyed('I', [], key, value);
  }
  infoString(name: string, value: string): this {
    const v = new LeBytes().str(value);
    return this.keyed('I', [], `char[${v.length}] ${name}`, v);
  }
  multiInfo(continued: boolean, key: string, value: LeBytes): this {
    return this.keyed('M', [continued ? 1 : 0], key, value);
  }
  paramFloat(name: string, v: number): this {
    return this.keyed('P', [], `float ${name}`, new LeBytes().f32(v));
  }
  paramInt(name: string, v: number): this {
    return this.keyed('P', [], `int32_t ${name}`, new LeBytes().i32(v));
  }
  defaultParamInt(name: string, v: number): this {
    return this.keyed('Q', [1], `int32_t ${name}`, new LeBytes().i32(v));
  }
  add(multiId: number, msgId: number, name: string): this {
    return this.message('A', new LeBytes().u8(multiId).u16(msgId).str(name));
  }
  remove(msgId: number): this {
    return this.message('R', new LeBytes().u16(msgId));
  }
  data(msgId: number, payload: LeBytes): this {
    return this.message('D', new LeBytes().u16(msgId).raw(payload.bytes()));
  }
  log(level: string, timestampUs: number, text: string | Uint8Array): this {
    const t = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    return this.message('L', new LeBytes().u8(ch(level)).u64(timestampUs).raw(t));
  }
  tagged(level: string, tag: number, timestampUs: number, text: string): this {
    return this.message('C', new LeBytes().u8(ch(level)).u16(tag).u64(timestampUs).str(text));
  }
  sync(): this {
    return this.message('S', new LeBytes().raw([0x2f, 0x73, 0x13, 0x20, 0x25, 0x0c, 0xbb, 0x12]));
  }
  dropout(ms: number): this {
    return this.message('O', new LeBytes().u16(ms));
  }
  raw(bytes: ArrayLike<number>): this {
    this.file.raw(bytes);
    return this;
  }
  build(): Uint8Array {
    return this.file.bytes();
  }
}

/**
 * A small but feature-complete log: nested type with padding and arrays, two instances of one topic,
 * a text field, info/multi-info/params, logged and tagged text, sync and a dropout.
 * Values are chosen so tests can check them exactly (floats representable in float32).
 */
export function sampleLog(): UlogBuilder {
  const b = new UlogBuilder(1, 5_000_000)
    .flagBits()
    .infoString('sys_name', 'PX4')
    .info('uint32_t ver_sw_release', new LeBytes().u32(0x010b0200))
    .multiInfo(false, 'char[5] perf', new LeBytes().str('hello'))
    .multiInfo(true, 'char[6] perf', new LeBytes().str(' world'))
    .paramFloat('MC_ROLL_P', 6.5)
    .paramInt('SYS_AUTOSTART', 4001)
    .defaultParamInt('SYS_AUTOSTART', 0)
    .format('esc_report:uint32_t rpm;int16_t temp;uint8_t[2] _padding0;')
    .format('esc_status:uint64_t timestamp;float[2] volt;esc_report[2] esc;uint8_t count;char[4] label;bool armed;uint8_t[3] _padding0;')
    .format('sensor:uint64_t timestamp;double value;int64_t delta;')
    .add(0, 1, 'esc_status')
    .add(0, 2, 'sensor')
    .add(1, 3, 'sensor');
  const esc = (t: number, k: number): LeBytes =>
    new LeBytes().u64(t).f32(12 + k).f32(-1.5).u32(1000 + k).u16(0xffff).u16(0).u32(2000).u16(25).u16(0).u8(2).str('ab').u8(0).u8(0).u8(k === 0 ? 1 : 0x41).raw([0, 0, 0]); // 0x41: an uninitialised bool, as PX4 logs have
  b.data(1, esc(5_100_000, 0)).data(2, new LeBytes().u64(5_100_000).f64(1.25).u32(0xfffffffe).u32(0xffffffff));
  b.log('6', 5_150_000, 'Takeoff detected').sync();
  b.data(3, new LeBytes().u64(5_200_000).f64(NaN).u64(7));
  b.data(1, esc(5_200_000, 1)).dropout(120);
  b.tagged('3', 42, 5_250_000, 'Dangerous battery level!');
  b.data(2, new LeBytes().u64(5_050_000).f64(2.5).u64(3)); // out of order: kept as logged
  return b;
}
