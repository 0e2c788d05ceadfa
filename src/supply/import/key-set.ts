/**
 * Remembers the natural keys seen in one import file and the row each first appeared on, to refuse
 * duplicates within the file. A 6M-row demand file would need ~0.5 GB as a Set of strings; this
 * keeps a 64-bit hash (two independent 32-bit hashes) and a row number per key in typed arrays,
 * 12 bytes a slot. Two different keys are taken for the same one only if both hashes collide:
 * about n²/2⁶⁵ for n keys, under 1e-6 at 6M keys, and that would reject a row (never drop one).
 */
export class KeySet {
  private h1: Uint32Array;
  private h2: Uint32Array;
  private rows: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 12) {
    let cap = 1;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.h1 = new Uint32Array(cap);
    this.h2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key` first seen on `row`; returns the earlier row if the key was already there. */
  addOrGet(key: string, row: number): number | undefined {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = (a ^ (a >>> 16)) >>> 0;
    b = ((b ^ (b >>> 13)) | 1) >>> 0; // never 0: 0 marks an empty slot
    let i = a & this.mask;
    for (;;) {
      const hb = this.h2[i]!;
      if (hb === 0) break;
      if (hb === b && this.h1[i] === a) return this.rows[i];
      i = (i + 1) & this.mask;
    }
    this.h1[i] = a;
    this.h2[i] = b;
    this.rows[i] = row;
    if (++this.count * 2 > this.mask) this.grow();
    return undefined;
  }

  private grow(): void {
    const [o1, o2, or] = [this.h1, this.h2, this.rows];
    const cap = (this.mask + 1) * 2;
    this.h1 = new Uint32Array(cap);
    this.h2 = new Uint32Array(cap);
    this.rows = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < o2.length; j++) {
      const b = o2[j]!;
      if (b === 0) continue;
      let i = o1[j]! & this.mask;
      while (this.h2[i] !== 0) i = (i + 1) & this.mask;
      this.h1[i] = o1[j]!;
      this.h2[i] = b;
      this.rows[i] = or[j]!;
    }
  }
}
